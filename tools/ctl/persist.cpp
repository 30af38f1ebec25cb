#include "tools/ctl/persist.h"

#include <sys/stat.h>

#include "core/config/core_config.h"
#include "util/config_file.h"

namespace gamesched::ctl {
namespace {

constexpr const char* kNewFileHeader =
    "# gamesched.conf: the scheduler's mode and tunables, kept across restarts.\n"
    "# Format and keys: man 5 gamesched.conf. Apply changes with: systemctl reload gamesched\n";

}  // namespace

Status persist_settings(const ipc::Message& request, const std::string& path) {
    std::vector<std::pair<std::string, std::string>> assignments;
    if (const auto* set = std::get_if<ipc::SetTunables>(&request)) {
        assignments = config_assignments(set->tunables);
    } else if (const auto* mode = std::get_if<ipc::SetMode>(&request)) {
        assignments = {config_assignment(mode->mode)};
    } else {
        return Error::invalid("--persist applies to set and mode only");
    }
    auto text = read_text_file(path);
    if (!text && text.error().code != ENOENT) return text.error();
    std::string content = text ? *text : kNewFileHeader;
    if (auto valid = parse_core_config(content, path); !valid) {
        return valid.error().context("not writing to an invalid configuration; fix it first");
    }
    for (const auto& [key, value] : assignments) content = set_config_value(content, key, value);
    if (auto valid = parse_core_config(content, path); !valid) return valid.error();  // cannot happen
    struct stat existing {};
    const mode_t mode = stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644;
    if (auto written = write_file_atomically(path, content, mode); !written) {
        return written.error().context("--persist (run as root, or make " + path +
                                       "'s directory writable by group gamesched)");
    }
    return Ok{};
}

}  // namespace gamesched::ctl
