#include "core/server/listen_sockets.h"

#include "ipc/unix_socket.h"
#include "util/log.h"

#include <systemd/sd-daemon.h>

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace gamesched::server {
namespace {

constexpr int kBacklog = 128;  // when the core creates the sockets itself; systemd's is SOMAXCONN

Status make_nonblocking_cloexec(int fd) {
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        return Error::from_errno("fcntl(O_NONBLOCK)");
    }
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return Error::from_errno("fcntl(FD_CLOEXEC)");
    return Ok{};
}

// Takes the activation fds by name; LISTEN_* is unset so children never see them.
Result<ListenSockets> take_activated(const ServerConfig& config, int count, char** names) {
    ListenSockets sockets;
    sockets.from_systemd = true;
    std::vector<UniqueFd> owned;  // closes every fd on every error path
    for (int i = 0; i < count; ++i) owned.emplace_back(SD_LISTEN_FDS_START + i);
    for (int i = 0; i < count; ++i) {
        const std::string name = names != nullptr && names[i] != nullptr ? names[i] : "unknown";
        UniqueFd* slot = name == "hints" ? &sockets.hints : name == "control" ? &sockets.control : nullptr;
        if (slot == nullptr || slot->valid()) {
            return Error::invalid("systemd passed a socket named \"" + printable(name) +
                                  "\"; expected one each of FileDescriptorName=hints and =control");
        }
        const std::string path = name == "hints" ? config.hints_path() : config.control_path();
        const int fd = owned[static_cast<std::size_t>(i)].get();
        if (sd_is_socket_unix(fd, SOCK_SEQPACKET, 1, path.c_str(), 0) <= 0) {
            return Error::invalid("socket \"" + name +
                                  "\" from systemd is not a listening "
                                  "SOCK_SEQPACKET unix socket at " +
                                  path + "; fix ListenSequentialPacket= in gamesched.socket");
        }
        if (auto status = make_nonblocking_cloexec(fd); !status) return status.error();
        *slot = std::move(owned[static_cast<std::size_t>(i)]);
    }
    if (!sockets.hints || !sockets.control) {
        return Error::invalid("systemd passed " + std::to_string(count) +
                              " socket(s) but not both "
                              "\"hints\" and \"control\"; check FileDescriptorName= in the unit");
    }
    struct stat st {};
    if (stat(config.control_path().c_str(), &st) == 0 && (st.st_mode & 0007) != 0) {
        spdlog::warn(
            "{} is accessible to every user (mode {:o}); the core still refuses "
            "non-members, but set SocketMode=0660 in gamesched.socket",
            config.control_path(), st.st_mode & 07777);
    }
    return sockets;
}

// Whoever can write the directory could swap the sockets for their own, so it must be a real
// directory (not a symlink) of our euid that nobody else can write.
Status check_runtime_dir(const std::string& dir) {
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0) return Error::from_errno("lstat " + dir);
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
        return Error{EPERM, dir + " must be a directory (not a symlink) owned by uid " +
                                std::to_string(geteuid()) +
                                " and writable by it alone; remove it and restart, or pass another runtime "
                                "directory"};
    }
    return Ok{};
}

Result<ListenSockets> create_sockets(const ServerConfig& config, std::optional<gid_t> control_gid) {
    if (mkdir(config.runtime_dir.c_str(), 0755) != 0 && errno != EEXIST) {
        return Error::from_errno("mkdir " + config.runtime_dir);
    }
    if (auto safe = check_runtime_dir(config.runtime_dir); !safe) return safe.error();
    ListenSockets sockets;
    auto hints = ipc::listen_seqpacket(config.hints_path(), 0666, kBacklog);
    if (!hints) return hints.error();
    sockets.hints = std::move(*hints);
    auto control =
        ipc::listen_seqpacket(config.control_path(), control_gid ? 0660 : 0600, kBacklog, control_gid);
    if (!control) return control.error();
    sockets.control = std::move(*control);
    if (!control_gid) {
        spdlog::warn(
            "group {} does not exist: {} is for root only (mode 0600); create the group "
            "to let its members use it",
            config.control_group, config.control_path());
    }
    return sockets;
}

}  // namespace

std::optional<gid_t> lookup_group(const std::string& name) {
    group entry{};
    group* found = nullptr;
    std::vector<char> buffer(16384);
    if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
        return std::nullopt;
    }
    return found->gr_gid;
}

Result<ListenSockets> open_listen_sockets(const ServerConfig& config, std::optional<gid_t> control_gid) {
    if (config.accept_socket_activation) {
        char** names = nullptr;
        const int count = sd_listen_fds_with_names(1, &names);
        const auto free_names = [&] {
            for (int i = 0; names != nullptr && i < count; ++i) std::free(names[i]);
            std::free(names);
        };
        if (count < 0) {
            free_names();
            return Error{-count, "reading systemd's socket activation environment failed"};
        }
        if (count > 0) {
            auto sockets = take_activated(config, count, names);
            free_names();
            return sockets;
        }
        free_names();
    }
    return create_sockets(config, control_gid);
}

}  // namespace gamesched::server
