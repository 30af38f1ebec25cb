#include "helpers/detect/process_info.h"

#include <algorithm>
#include <cctype>

namespace gamesched::detect {
namespace {

bool ends_with_exe(const std::string& name) {
    if (name.size() < 4) return false;
    std::string tail = name.substr(name.size() - 4);
    std::transform(tail.begin(), tail.end(), tail.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return tail == ".exe";
}

}  // namespace

std::string basename_any(const std::string& path) {
    const auto cut = path.find_last_of("/\\");
    return cut == std::string::npos ? path : path.substr(cut + 1);
}

std::string ProcessInfo::wine_program() const {
    // Wine rewrites argv to the Windows command line once it runs, but at exec time the
    // loader paths still come first; the first ".exe" argument is the program either way
    // (for Proton's "steam.exe Game.exe" shim that is steam.exe, which the rules deny).
    for (const auto& arg : args) {
        std::string name = basename_any(arg);
        if (ends_with_exe(name)) return name;
    }
    // Wine also renames the task (comm) after the program; comm is cut at 15 characters.
    if (ends_with_exe(comm)) return comm;
    return {};
}

const std::string* ProcessInfo::env(const std::string& name) const {
    if (!environ) return nullptr;
    auto it = environ->find(name);
    return it == environ->end() ? nullptr : &it->second;
}

}  // namespace gamesched::detect
