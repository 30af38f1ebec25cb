#include "helpers/detect/proc_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <sstream>

#include "util/unique_fd.h"

namespace gamesched::detect {
namespace {

// Bounds what one hostile or huge process can make us allocate.
constexpr std::size_t kMaxFileBytes = 256 * 1024;

Result<std::string> read_at(int dir_fd, const char* name) {
    UniqueFd fd(::openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd) return Error::from_errno(std::string("open ") + name);
    std::string out;
    char buf[8192];
    while (out.size() < kMaxFileBytes) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error::from_errno(std::string("read ") + name);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string readlink_at(int dir_fd, const char* name) {
    char buf[4096];
    const ssize_t n = ::readlinkat(dir_fd, name, buf, sizeof buf - 1);
    if (n < 0) return {};
    return std::string(buf, static_cast<std::size_t>(n));
}

std::vector<std::string> split_nul(const std::string& data) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start < data.size()) {
        std::size_t end = data.find('\0', start);
        if (end == std::string::npos) end = data.size();
        parts.emplace_back(data, start, end - start);
        start = end + 1;
    }
    return parts;
}

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr != text.data();
}

// /proc/<pid>/status: "Key:\tvalue" lines. Uid lists real, effective, saved, fs: we want real.
Status parse_status(const std::string& text, ProcessInfo& info) {
    bool have_ppid = false, have_uid = false;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string_view key(line.data(), colon);
        const std::string_view value(line.data() + colon + 1, line.size() - colon - 1);
        if (key == "PPid")
            have_ppid = parse_int(value, info.ppid);
        else if (key == "Uid")
            have_uid = parse_int(value, info.uid);
        else if (key == "Threads")
            parse_int(value, info.threads);
    }
    if (!have_ppid || !have_uid) return Error::invalid("status lacks PPid or Uid");
    return Ok{};
}

// /proc/<pid>/stat: fields after the last ')' (comm may itself contain ')' and spaces).
std::uint64_t parse_start_time(const std::string& text) {
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) return 0;
    std::istringstream fields(text.substr(paren + 1));
    std::string field;
    // After ')' come field 3 (state) onwards; starttime is field 22.
    for (int index = 3; fields >> field; ++index) {
        if (index == 22) {
            std::uint64_t value = 0;
            return parse_int(std::string_view(field), value) ? value : 0;
        }
    }
    return 0;
}

std::string parse_unified_cgroup(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("0::", 0) == 0) return line.substr(3);
    }
    return {};
}

std::optional<int> count_gpu_fds(int pid_dir_fd) {
    const int fd_dir = ::openat(pid_dir_fd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_dir < 0) return std::nullopt;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(fd_dir), ::closedir);
    if (!dir) {
        ::close(fd_dir);
        return std::nullopt;
    }
    int count = 0;
    while (const dirent* entry = ::readdir(dir.get())) {
        if (entry->d_name[0] == '.') continue;
        const std::string target = readlink_at(::dirfd(dir.get()), entry->d_name);
        if (target.rfind("/dev/dri/", 0) == 0 || target.rfind("/dev/nvidia", 0) == 0) ++count;
    }
    return count;
}

// Whether a mapping's path contains needle. Streamed: a game's maps run to megabytes; beyond the
// cap the answer is unknown rather than a guess.
std::optional<bool> maps_mention(int pid_dir_fd, std::string_view needle) {
    constexpr std::size_t kMaxMapsBytes = 32U * 1024 * 1024;
    UniqueFd fd(::openat(pid_dir_fd, "maps", O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd) return std::nullopt;
    std::string window;  // the tail of the previous chunk, so a match across chunks is seen
    std::vector<char> buf(64 * 1024);
    for (std::size_t total = 0; total < kMaxMapsBytes;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return false;
        total += static_cast<std::size_t>(n);
        window.append(buf.data(), static_cast<std::size_t>(n));
        if (window.find(needle) != std::string::npos) return true;
        window.erase(0, window.size() - std::min(window.size(), needle.size() - 1));
    }
    return std::nullopt;
}

}  // namespace

Result<ProcessInfo> ProcReader::read(pid_t pid, bool with_fds) {
    const std::string dir_path = (root_ / std::to_string(pid)).string();
    // One directory fd for every file: if the pid is recycled mid-read, the reads fail
    // instead of mixing two processes.
    UniqueFd dir(::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) return Error::from_errno("open " + dir_path);

    ProcessInfo info;
    info.pid = pid;
    auto status = read_at(dir.get(), "status");
    if (!status) return status.error().context(dir_path);
    if (auto parsed = parse_status(*status, info); !parsed) {
        return parsed.error().context(dir_path + "/status");
    }
    if (auto comm = read_at(dir.get(), "comm")) {
        info.comm = *comm;
        if (!info.comm.empty() && info.comm.back() == '\n') info.comm.pop_back();
    }
    if (auto cmdline = read_at(dir.get(), "cmdline")) info.args = split_nul(*cmdline);
    if (auto stat = read_at(dir.get(), "stat")) info.start_time = parse_start_time(*stat);
    if (auto cgroup = read_at(dir.get(), "cgroup")) info.cgroup = parse_unified_cgroup(*cgroup);

    info.exe_path = readlink_at(dir.get(), "exe");
    constexpr std::string_view kDeleted = " (deleted)";
    if (info.exe_path.ends_with(kDeleted)) info.exe_path.resize(info.exe_path.size() - kDeleted.size());
    info.exe_name = basename_any(info.exe_path);

    if (auto environ = read_at(dir.get(), "environ")) {
        std::map<std::string, std::string> vars;
        for (const auto& entry : split_nul(*environ)) {
            const auto eq = entry.find('=');
            if (eq == std::string::npos || eq == 0) continue;
            vars.emplace(entry.substr(0, eq), entry.substr(eq + 1));
        }
        info.environ = std::move(vars);
    } else {
        info.environ_errno = environ.error().code;
    }
    if (with_fds) {
        info.gpu_fds = count_gpu_fds(dir.get());
        info.mangohud_loaded = maps_mention(dir.get(), "/libMangoHud");
    }
    return info;
}

Result<std::vector<pid_t>> ProcReader::list_pids() {
    std::vector<pid_t> pids;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(root_.c_str()), ::closedir);
    if (!dir) return Error::from_errno("listing " + root_.string());
    while (const dirent* entry = ::readdir(dir.get())) {
        pid_t pid = 0;
        const std::string_view name(entry->d_name);
        const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec == std::errc() && ptr == name.data() + name.size() && pid > 0) pids.push_back(pid);
    }
    std::sort(pids.begin(), pids.end());
    return pids;
}

}  // namespace gamesched::detect
