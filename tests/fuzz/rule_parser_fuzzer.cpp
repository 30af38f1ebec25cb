// libFuzzer target for gamesched-detect's rule parser: rules.d files come from the user's own
// config directory too, and one bad file must be refused with a located message, never crash
// the helper. A file that parses must also give a name and a confidence in range to every rule.
#include "helpers/detect/rule_parser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace gamesched::detect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto rules = parse_rule_file(text, "fuzz.json");
    if (!rules) {
        if (rules.error().message.find("fuzz.json") == std::string::npos) __builtin_trap();
        return 0;
    }
    for (const auto& rule : *rules) {
        if (rule.name.empty() || rule.confidence < 0 || rule.confidence > 100) __builtin_trap();
    }
    return 0;
}
