// Reads ProcessInfo snapshots from a /proc tree. The root is a parameter so tests point it at
// fixture trees they build themselves; production passes "/proc".
#pragma once

#include <filesystem>
#include <vector>

#include "helpers/detect/process_info.h"
#include "util/result.h"

namespace gamesched::detect {

// What the engine needs from /proc; the detector depends on this, not on the filesystem.
class ProcessSource {
public:
    virtual ~ProcessSource() = default;
    // with_fds: also count GPU device fds (a directory walk, so only for real candidates).
    virtual Result<ProcessInfo> read(pid_t pid, bool with_fds) = 0;
    virtual Result<std::vector<pid_t>> list_pids() = 0;
};

class ProcReader final : public ProcessSource {
public:
    explicit ProcReader(std::filesystem::path root) : root_(std::move(root)) {}

    Result<ProcessInfo> read(pid_t pid, bool with_fds) override;
    Result<std::vector<pid_t>> list_pids() override;

    [[nodiscard]] const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

}  // namespace gamesched::detect
