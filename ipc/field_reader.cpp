#include "ipc/field_reader.h"

#include "ipc/utf8.h"
#include "util/log.h"

#include <algorithm>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

std::string_view json_kind(const Json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number_float()) return "a non-integer number";
    if (value.is_number()) return "an integer";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    return "an object";
}

// A JSON integer (never a float or bool) within [min, max], compared without overflow.
bool integer_in_range(const Json& value, std::int64_t min, std::int64_t max) {
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        return max >= 0 && v <= static_cast<std::uint64_t>(max) &&
               (min <= 0 || v >= static_cast<std::uint64_t>(min));
    }
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        return v >= min && v <= max;
    }
    return false;
}

bool char_allowed(TextKind kind, char c) {
    const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    switch (kind) {
        case TextKind::token:
            return lower_or_digit || c == '_' || c == '-';
        case TextKind::app_id:
            return lower_or_digit || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == ':' || c == '-';
        case TextKind::label:
            return true;
    }
    return false;
}

std::string_view text_rule(TextKind kind) {
    switch (kind) {
        case TextKind::token:
            return "lowercase letters, digits, '_' and '-'";
        case TextKind::app_id:
            return "letters, digits, '_', '.', ':' and '-'";
        case TextKind::label:
            return "printable UTF-8 without control characters";
    }
    return "";
}

bool text_valid(TextKind kind, std::string_view text) {
    if (kind == TextKind::label) return is_printable_text(text);
    return std::all_of(text.begin(), text.end(), [kind](char c) { return char_allowed(kind, c); });
}

}  // namespace

std::string describe_range(std::int64_t min, std::int64_t max) {
    return std::to_string(min) + ".." + std::to_string(max);
}

FieldReader::FieldReader(const Json& object, std::string_view context) : object_(object), context_(context) {}

void FieldReader::known(std::string_view key) {
    declared_.emplace_back(key);
}

bool FieldReader::has(std::string_view key) const {
    return object_.contains(key);
}

void FieldReader::fail(const std::string& problem) {
    if (!error_) error_ = context_ + ": " + problem;
}

void FieldReader::wrong_value(std::string_view key, std::string_view expected, const Json& got) {
    std::string shown(json_kind(got));
    if (got.is_number()) shown = got.dump();
    fail("field \"" + std::string(key) + "\" must be " + std::string(expected) + " (got " + shown + ")");
}

const Json* FieldReader::lookup(std::string_view key, bool required, std::string_view expected) {
    declared_.emplace_back(key);
    const auto it = object_.find(key);
    if (it == object_.end()) {
        if (required) {
            fail("missing required field \"" + std::string(key) + "\" (" + std::string(expected) + ")");
        }
        return nullptr;
    }
    return &*it;
}

void FieldReader::required_int(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out) {
    const std::string expected = "an integer in " + describe_range(min, max);
    const Json* value = lookup(key, true, expected);
    if (value == nullptr) return;
    if (!integer_in_range(*value, min, max)) return wrong_value(key, expected, *value);
    out = value->get<std::int64_t>();
}

std::optional<std::uint64_t> FieldReader::read_uint(std::string_view key, std::uint64_t min,
                                                    std::uint64_t max, bool required) {
    const std::string expected = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
    const Json* value = lookup(key, required, expected);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_unsigned() || value->get<std::uint64_t>() < min ||
        value->get<std::uint64_t>() > max) {
        wrong_value(key, expected, *value);
        return std::nullopt;
    }
    return value->get<std::uint64_t>();
}

void FieldReader::required_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                                std::uint64_t& out) {
    if (auto value = read_uint(key, min, max, true)) out = *value;
}

void FieldReader::optional_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                                std::optional<std::uint64_t>& out) {
    if (auto value = read_uint(key, min, max, false)) out = value;
}

void FieldReader::optional_bool(std::string_view key, std::optional<bool>& out) {
    const Json* value = lookup(key, false, "true or false");
    if (value == nullptr) return;
    if (!value->is_boolean()) return wrong_value(key, "true or false", *value);
    out = value->get<bool>();
}

std::optional<std::string> FieldReader::read_text(std::string_view key, TextKind kind, std::size_t max_bytes,
                                                  bool required) {
    const std::string expected =
        "a string of 1.." + std::to_string(max_bytes) + " bytes of " + std::string(text_rule(kind));
    const Json* value = lookup(key, required, expected);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
        wrong_value(key, expected, *value);
        return std::nullopt;
    }
    const auto& text = value->get_ref<const std::string&>();
    if (text.empty() || text.size() > max_bytes || !text_valid(kind, text)) {
        fail("field \"" + std::string(key) + "\" must be " + expected + " (got " +
             std::to_string(text.size()) + " bytes that are not)");
        return std::nullopt;
    }
    return text;
}

void FieldReader::required_text(std::string_view key, TextKind kind, std::size_t max_bytes,
                                std::string& out) {
    if (auto value = read_text(key, kind, max_bytes, true)) out = std::move(*value);
}

void FieldReader::optional_text(std::string_view key, TextKind kind, std::size_t max_bytes,
                                std::optional<std::string>& out) {
    if (auto value = read_text(key, kind, max_bytes, false)) out = std::move(value);
}

const Json* FieldReader::required_value(std::string_view key) {
    return lookup(key, true, "see docs/protocol.md");
}

const Json* FieldReader::optional_value(std::string_view key) {
    return lookup(key, false, "");
}

Status FieldReader::finish() {
    if (error_) return Error::invalid(*error_);
    for (const auto& [key, value] : object_.items()) {
        if (std::find(declared_.begin(), declared_.end(), key) != declared_.end()) continue;
        std::string allowed;
        for (const auto& name : declared_) {
            if (name == "v" || name == "id" || name == "type") continue;
            allowed += allowed.empty() ? name : ", " + name;
        }
        return Error::invalid(context_ + ": unknown field \"" + printable(key, 40) +
                              "\"; allowed fields: " + (allowed.empty() ? "none" : allowed));
    }
    return Ok{};
}

}  // namespace gamesched::ipc
