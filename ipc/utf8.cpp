#include "ipc/utf8.h"

#include <cstddef>
#include <cstdint>

namespace gamesched::ipc {
namespace {

// Length of the well-formed sequence starting at bytes[pos], or 0 when it is not well formed.
std::size_t sequence_length(std::string_view bytes, std::size_t pos) {
    const auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[pos + i]); };
    const auto continuation = [&](std::size_t i) { return pos + i < bytes.size() && (at(i) & 0xC0) == 0x80; };
    const std::uint8_t lead = at(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (!continuation(1) || !continuation(2)) return 0;
        if (lead == 0xE0 && at(1) < 0xA0) return 0;   // overlong
        if (lead == 0xED && at(1) >= 0xA0) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
        if (lead == 0xF0 && at(1) < 0x90) return 0;   // overlong
        if (lead == 0xF4 && at(1) >= 0x90) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;  // continuation byte as lead, C0/C1 overlong leads, F5..FF
}

bool is_control(std::string_view sequence) {
    const auto first = static_cast<std::uint8_t>(sequence[0]);
    if (sequence.size() == 1) return first < 0x20 || first == 0x7F;
    // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
    return sequence.size() == 2 && first == 0xC2 && static_cast<std::uint8_t>(sequence[1]) < 0xA0;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t length = sequence_length(bytes, pos);
        if (length == 0) return false;
        pos += length;
    }
    return true;
}

bool is_printable_text(std::string_view bytes) {
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t length = sequence_length(bytes, pos);
        if (length == 0 || is_control(bytes.substr(pos, length))) return false;
        pos += length;
    }
    return true;
}

std::string sanitize_text(std::string_view bytes) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t length = sequence_length(bytes, pos);
        if (length == 0) {
            out += kReplacement;
            ++pos;
            continue;
        }
        const std::string_view sequence = bytes.substr(pos, length);
        out += is_control(sequence) ? kReplacement : sequence;
        pos += length;
    }
    return out;
}

}  // namespace gamesched::ipc
