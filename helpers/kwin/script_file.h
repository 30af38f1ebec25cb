// The KWin script as a file KWin can read: KWin has no load-from-text call in Plasma 6, and a
// copy in a private /tmp (systemd PrivateTmp=) would be invisible to it. So the helper copies the
// installed script into $XDG_RUNTIME_DIR/gamesched/, which only the user can reach.
#pragma once

#include "util/result.h"

#include <string>

namespace gamesched::kwin {

class ScriptFile {
public:
    // Reads source and writes it atomically to <runtime_dir>/gamesched/kwin-focus.js, creating
    // the directory 0700. Refuses a directory that is a symlink or belongs to someone else.
    static Result<ScriptFile> install(const std::string& source, const std::string& runtime_dir);
    // Creates (or checks) <runtime_dir>/gamesched as install() does and returns its path: the one
    // directory the helper's sandbox lets it write.
    static Result<std::string> prepare_dir(const std::string& runtime_dir);

    ScriptFile(ScriptFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    ScriptFile& operator=(ScriptFile&&) = delete;
    ScriptFile(const ScriptFile&) = delete;
    ScriptFile& operator=(const ScriptFile&) = delete;
    ~ScriptFile();  // removes the copy

    [[nodiscard]] const std::string& path() const { return path_; }

private:
    explicit ScriptFile(std::string path) : path_(std::move(path)) {}
    std::string path_;
};

}  // namespace gamesched::kwin
