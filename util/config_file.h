// The text of a "key = value" configuration file: one setting per line, '#' starts a comment,
// blank lines are ignored. Parsing keeps line numbers so that errors can name them; editing
// changes one setting and keeps everything else (comments, order, other keys) byte for byte.
#pragma once

#include "util/result.h"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace gamesched {

struct ConfigSetting {
    std::string key;
    std::string value;
    int line = 0;  // 1-based
};

// Splits text into settings. Errors read "ORIGIN:LINE: what is wrong; what to do". A key set
// twice is an error (which one should win would be a guess).
[[nodiscard]] Result<std::vector<ConfigSetting>> parse_config_text(std::string_view text,
                                                                   const std::string& origin);

// text with key set to value: the line that sets key is rewritten (its trailing comment kept),
// or "key = value" is appended when no line sets it. text must parse.
[[nodiscard]] std::string set_config_value(std::string_view text, std::string_view key,
                                           std::string_view value);

// Reads a whole (small) file. ENOENT is returned as such so callers can treat "no file" apart.
[[nodiscard]] Result<std::string> read_text_file(const std::string& path);

// Replaces path with text atomically: a temporary file in the same directory, fsync, rename.
// Readers see the old or the new file, never a mix; a crash leaves the old one.
[[nodiscard]] Status write_file_atomically(const std::string& path, std::string_view text, mode_t mode);

}  // namespace gamesched
