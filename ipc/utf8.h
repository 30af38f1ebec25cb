// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <string>
#include <string_view>

namespace gamesched::ipc {

[[nodiscard]] bool is_valid_utf8(std::string_view bytes);

// Valid UTF-8 without C0/C1 control characters or DEL: what names and labels may contain.
[[nodiscard]] bool is_printable_text(std::string_view bytes);

// Text safe to put on the wire and in logs: invalid UTF-8 sequences and control characters
// become U+FFFD. Used for kernel-provided strings (task names), which are arbitrary bytes.
[[nodiscard]] std::string sanitize_text(std::string_view bytes);

}  // namespace gamesched::ipc
