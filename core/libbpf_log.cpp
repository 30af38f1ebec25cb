#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include "core/libbpf_owners.h"

namespace gamesched {
namespace {

// A verifier log arrives as one message and its verdict is at the end: the whole message is kept
// (up to a bound; past it, the tail).
std::string format_message(const char* format, va_list args) {
    constexpr std::size_t kMaxBytes = 1 << 20;
    va_list measure;
    va_copy(measure, args);
    // The analyzer does not follow a va_list that arrives as a parameter: `args` is libbpf's,
    // initialized by its caller, and `measure` is a copy of it.
    const int n = std::vsnprintf(nullptr, 0, format, measure);  // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(measure);
    if (n <= 0) return {};
    std::string text(static_cast<std::size_t>(n) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, args);
    text.pop_back();
    if (text.size() > kMaxBytes) text.erase(0, text.size() - kMaxBytes);
    return text;
}

int forward_libbpf_message(enum libbpf_print_level level, const char* format, va_list args) {
    std::string line = format_message(format, args);
    const int n = static_cast<int>(line.size());
    while (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.rfind("libbpf: ", 0) == 0) line.erase(0, 8);
    switch (level) {
        case LIBBPF_WARN:
            spdlog::warn("libbpf: {}", line);
            break;
        case LIBBPF_INFO:
            spdlog::info("libbpf: {}", line);
            break;
        default:
            spdlog::debug("libbpf: {}", line);
            break;
    }
    return n;
}

}  // namespace

void route_libbpf_logs_to_spdlog() {
    libbpf_set_print(forward_libbpf_message);
}

}  // namespace gamesched
