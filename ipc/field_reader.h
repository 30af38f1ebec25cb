// Reads the fields of one untrusted JSON object by name, type and range. The first problem wins
// and becomes an error that names the field, what it must be and what to do; finish() also
// refuses every field nobody asked for.
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamesched::ipc {

enum class TextKind {
    label,   // printable UTF-8: no control characters
    token,   // [a-z0-9_-]: machine-readable words such as a rule source
    app_id,  // [A-Za-z0-9_.:-]: launcher ids (Steam 570, lutris slugs, flatpak ids)
};

class FieldReader {
public:
    // context names the message in errors, e.g. "game_started".
    FieldReader(const nlohmann::json& object, std::string_view context);

    // Marks a field as handled elsewhere (the envelope: v, id, type).
    void known(std::string_view key);
    [[nodiscard]] bool has(std::string_view key) const;

    void required_int(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
    void required_uint(std::string_view key, std::uint64_t min, std::uint64_t max, std::uint64_t& out);
    void optional_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                       std::optional<std::uint64_t>& out);
    void optional_bool(std::string_view key, std::optional<bool>& out);
    void required_text(std::string_view key, TextKind kind, std::size_t max_bytes, std::string& out);
    void optional_text(std::string_view key, TextKind kind, std::size_t max_bytes,
                       std::optional<std::string>& out);
    // The raw value of a field the caller validates itself; nullptr when absent (and required).
    const nlohmann::json* required_value(std::string_view key);
    const nlohmann::json* optional_value(std::string_view key);

    // Records a problem found by the caller; only the first one is reported.
    void fail(const std::string& problem);
    [[nodiscard]] bool failed() const { return error_.has_value(); }

    [[nodiscard]] Status finish();

private:
    std::optional<std::uint64_t> read_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                                           bool required);
    std::optional<std::string> read_text(std::string_view key, TextKind kind, std::size_t max_bytes,
                                         bool required);
    const nlohmann::json* lookup(std::string_view key, bool required, std::string_view expected);
    void wrong_value(std::string_view key, std::string_view expected, const nlohmann::json& got);

    const nlohmann::json& object_;
    std::string context_;
    std::vector<std::string> declared_;
    std::optional<std::string> error_;
};

// "1..4194304", "an integer", ... as used in error texts and docs.
[[nodiscard]] std::string describe_range(std::int64_t min, std::int64_t max);

}  // namespace gamesched::ipc
