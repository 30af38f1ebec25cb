#include "helpers/kwin/focus_report.h"

namespace gamesched::kwin {

FocusReport report_from_callback(std::int32_t pid, std::string_view resource_class) {
    if (resource_class.size() > kMaxResourceClassBytes) {
        std::size_t cut = kMaxResourceClassBytes;
        // Back to the start of the UTF-8 sequence the cut would split.
        while (cut > 0 && (static_cast<unsigned char>(resource_class[cut]) & 0xC0) == 0x80) --cut;
        resource_class = resource_class.substr(0, cut);
    }
    return FocusReport{pid > 0 ? static_cast<pid_t>(pid) : 0, std::string(resource_class)};
}

}  // namespace gamesched::kwin
