#include "helpers/kwin/script_file.h"

#include "util/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace gamesched::kwin {
namespace {

// Scripts are a few KiB; anything bigger is not our script.
constexpr std::size_t kMaxScriptSize = 64 * 1024;

Result<std::string> read_small_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd) return Error::from_errno("opening KWin script " + path + " (see --script)");
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("reading " + path);
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxScriptSize) return Error::invalid(path + " is too large for a KWin script");
    }
    if (text.empty()) return Error::invalid(path + " is empty; reinstall gamesched");
    return text;
}

Status ensure_private_dir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return Error::from_errno("creating " + dir);
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) return Error::from_errno("checking " + dir);
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) {
        return Error::invalid(dir + " must be a directory of this user writable by nobody else; remove it");
    }
    return Ok{};
}

Status write_all(int fd, const std::string& text, const std::string& path) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("writing " + path);
        written += static_cast<std::size_t>(n);
    }
    return Ok{};
}

}  // namespace

Result<ScriptFile> ScriptFile::install(const std::string& source, const std::string& runtime_dir) {
    auto text = read_small_file(source);
    if (!text) return text.error();
    auto dir = prepare_dir(runtime_dir);
    if (!dir) return dir.error();

    const std::string path = *dir + "/kwin-focus.js";
    const std::string temp = path + ".tmp";
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return Error::from_errno("creating " + temp);
    if (auto s = write_all(fd.get(), *text, temp); !s) return s.error();
    fd.reset();
    if (::rename(temp.c_str(), path.c_str()) != 0) return Error::from_errno("renaming " + temp);
    return ScriptFile(path);
}

Result<std::string> ScriptFile::prepare_dir(const std::string& runtime_dir) {
    if (runtime_dir.empty() || runtime_dir.front() != '/') {
        return Error::invalid(
            "XDG_RUNTIME_DIR is not set to an absolute path; start gamesched-kwin "
            "from the user's login session (systemd --user)");
    }
    std::string dir = runtime_dir + "/gamesched";
    if (auto s = ensure_private_dir(dir); !s) return s.error();
    return dir;
}

ScriptFile::~ScriptFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace gamesched::kwin
