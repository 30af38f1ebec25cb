// Turns one untrusted record into a JSON object without ever throwing: UTF-8 checked first,
// duplicate keys and deep nesting refused (a duplicate key could smuggle a second value past a
// validator that reads the first).
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace gamesched::ipc {

[[nodiscard]] Result<nlohmann::json> parse_json_object(std::string_view record);

// Serializes without throwing: strings that are not valid UTF-8 get U+FFFD instead of an
// exception (payloads from the core's own sources, e.g. stats, are not trusted to be clean).
[[nodiscard]] std::string dump_json(const nlohmann::json& value);

}  // namespace gamesched::ipc
