// The one error style on syscall and parse paths: a value or an Error, never both. Exceptions
// are for start-up only (see docs/architecture.md).
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace gamesched {

struct Error {
    int code = 0;  // errno where one applies, else 0
    std::string message;

    // Prepends what the caller was doing: "loading scheduler: bpf(BPF_PROG_LOAD): Invalid argument".
    [[nodiscard]] Error context(const std::string& what) const { return {code, what + ": " + message}; }

    static Error from_errno(const std::string& what, int err = errno) {
        return {err, what + ": " + std::strerror(err)};
    }
    static Error invalid(std::string message) { return {EINVAL, std::move(message)}; }
};

struct Ok {};

// E is Error except where callers must tell kinds of failure apart (ipc::CallError).
template <typename T, typename E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(E error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    [[nodiscard]] const E& error() const { return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

using Status = Result<Ok>;

}  // namespace gamesched
