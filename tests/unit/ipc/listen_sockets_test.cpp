// The sockets the core creates when started by hand: born with their final mode and group (no
// chmod/chown by path after bind), and only inside a runtime directory nobody else can write.
#include "core/server/listen_sockets.h"
#include "ipc/unix_socket.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <grp.h>
#include <sys/stat.h>

#include <filesystem>

using namespace gamesched;
using Catch::Matchers::ContainsSubstring;

namespace {

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/gamesched-listen-test.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
        REQUIRE(chmod(path.c_str(), 0755) == 0);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string path;
};

constexpr gid_t kNogroup = 65534;

server::ServerConfig config_in(const std::string& dir) {
    server::ServerConfig config;
    config.runtime_dir = dir;
    config.control_group = "nogroup";
    config.accept_socket_activation = false;
    return config;
}

}  // namespace

TEST_CASE("a listening socket is created with its mode and group in place") {
    const TempDir dir;
    const std::string path = dir.path + "/s.sock";
    auto listener = ipc::listen_seqpacket(path, 0660, 8, kNogroup);
    REQUIRE(listener.ok());
    struct stat st {};
    REQUIRE(lstat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0660);
    CHECK(st.st_gid == kNogroup);
    CHECK(st.st_uid == geteuid());
}

TEST_CASE("the core's sockets: hints 0666, control 0660 root:group") {
    const TempDir dir;
    REQUIRE(server::lookup_group("nogroup") == kNogroup);
    auto sockets = server::open_listen_sockets(config_in(dir.path), kNogroup);
    REQUIRE(sockets.ok());
    struct stat hints {
    }, control{};
    REQUIRE(lstat((dir.path + "/hints.sock").c_str(), &hints) == 0);
    REQUIRE(lstat((dir.path + "/control.sock").c_str(), &control) == 0);
    CHECK((hints.st_mode & 07777) == 0666);
    CHECK((control.st_mode & 07777) == 0660);
    CHECK(control.st_gid == kNogroup);
}

TEST_CASE("a runtime directory that is a symlink or writable by others is refused") {
    const TempDir dir;
    const std::string real = dir.path + "/real";
    REQUIRE(mkdir(real.c_str(), 0755) == 0);
    const std::string link = dir.path + "/link";
    REQUIRE(symlink(real.c_str(), link.c_str()) == 0);
    auto through_link = server::open_listen_sockets(config_in(link), kNogroup);
    REQUIRE_FALSE(through_link.ok());
    CHECK_THAT(through_link.error().message, ContainsSubstring("not a symlink"));
    CHECK_FALSE(std::filesystem::exists(real + "/hints.sock"));

    REQUIRE(chmod(real.c_str(), 0775) == 0);
    auto group_writable = server::open_listen_sockets(config_in(real), kNogroup);
    REQUIRE_FALSE(group_writable.ok());
    CHECK_THAT(group_writable.error().message, ContainsSubstring("writable by it alone"));

    REQUIRE(chmod(real.c_str(), 0755) == 0);
    REQUIRE(chown(real.c_str(), 65534, static_cast<gid_t>(-1)) == 0);  // someone else's
    auto foreign = server::open_listen_sockets(config_in(real), kNogroup);
    REQUIRE_FALSE(foreign.ok());
}
