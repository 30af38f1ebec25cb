// SOCK_SEQPACKET utilities on real sockets in a private directory.
#include "ipc/unix_socket.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace gamesched::ipc;
using Catch::Matchers::ContainsSubstring;

namespace {

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/gamesched-ipc-test.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string path;
};

struct Pair {
    gamesched::UniqueFd listener, client, server;
};

Pair connected_pair(const std::string& path) {
    Pair pair;
    auto listener = listen_seqpacket(path, 0600);
    REQUIRE(listener.ok());
    auto client = connect_seqpacket(path);
    REQUIRE(client.ok());
    auto server = accept_seqpacket(listener->get());
    REQUIRE(server.ok());
    pair.listener = std::move(*listener);
    pair.client = std::move(*client);
    pair.server = std::move(*server);
    return pair;
}

}  // namespace

TEST_CASE("listening sockets get their mode and replace only stale sockets") {
    TempDir dir;
    const std::string path = dir.path + "/hints.sock";
    {
        auto first = listen_seqpacket(path, 0666);
        REQUIRE(first.ok());
        struct stat st {};
        REQUIRE(stat(path.c_str(), &st) == 0);
        CHECK(S_ISSOCK(st.st_mode));
        CHECK((st.st_mode & 07777) == 0666);
    }
    auto again = listen_seqpacket(path, 0600);  // the file of the closed socket is stale
    REQUIRE(again.ok());
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);

    const std::string regular = dir.path + "/not-a-socket";
    std::ofstream(regular) << "keep me";
    auto refused = listen_seqpacket(regular, 0600);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, ContainsSubstring("not a socket"));
    CHECK(std::filesystem::exists(regular));

    CHECK_FALSE(listen_seqpacket(dir.path + "/" + std::string(120, 'x'), 0600).ok());
}

TEST_CASE("records keep their boundaries; empty queue and closed peer are told apart") {
    TempDir dir;
    auto pair = connected_pair(dir.path + "/s");
    auto none = recv_record(pair.server.get(), 4096);
    REQUIRE(none.ok());
    CHECK(none->status == IoStatus::would_block);

    REQUIRE(send_record(pair.client.get(), "first").value() == IoStatus::done);
    REQUIRE(send_record(pair.client.get(), "second record").value() == IoStatus::done);
    auto one = recv_record(pair.server.get(), 4096);
    REQUIRE(one.ok());
    CHECK(one->bytes == "first");
    auto two = recv_record(pair.server.get(), 4096);
    REQUIRE(two.ok());
    CHECK(two->bytes == "second record");

    pair.client.reset();
    auto closed = recv_record(pair.server.get(), 4096);
    REQUIRE(closed.ok());
    CHECK(closed->status == IoStatus::closed);
    auto send_closed = send_record(pair.server.get(), "x");
    REQUIRE(send_closed.ok());
    CHECK(*send_closed == IoStatus::closed);
}

TEST_CASE("a record above the limit is detected even though it was truncated") {
    TempDir dir;
    auto pair = connected_pair(dir.path + "/s");
    REQUIRE(send_record(pair.client.get(), std::string(4096, 'a')).value() == IoStatus::done);
    REQUIRE(send_record(pair.client.get(), std::string(5000, 'b')).value() == IoStatus::done);
    auto fits = recv_record(pair.server.get(), 4096);
    REQUIRE(fits.ok());
    CHECK(fits->bytes.size() == 4096);
    auto oversized = recv_record(pair.server.get(), 4096);
    REQUIRE_FALSE(oversized.ok());
    CHECK(oversized.error().code == EMSGSIZE);
    CHECK_THAT(oversized.error().message, ContainsSubstring("5000 bytes"));
}

TEST_CASE("a full peer makes sends would_block instead of blocking") {
    TempDir dir;
    auto pair = connected_pair(dir.path + "/s");
    const std::string record(4000, 'x');
    IoStatus status = IoStatus::done;
    for (int i = 0; i < 100000 && status == IoStatus::done; ++i) {
        auto sent = send_record(pair.server.get(), record);
        REQUIRE(sent.ok());
        status = *sent;
    }
    CHECK(status == IoStatus::would_block);
}

TEST_CASE("what a peer sent before closing on our unread records is still received") {
    TempDir dir;
    auto pair = connected_pair(dir.path + "/s");
    REQUIRE(send_record(pair.client.get(), "never read").value() == IoStatus::done);
    REQUIRE(send_record(pair.server.get(), "the reason").value() == IoStatus::done);
    pair.server.reset();  // closes with the client's record unread: the client gets ECONNRESET
    auto reason = recv_record(pair.client.get(), 4096);
    REQUIRE(reason.ok());
    REQUIRE(reason->status == IoStatus::done);
    CHECK(reason->bytes == "the reason");
    auto closed = recv_record(pair.client.get(), 4096);
    REQUIRE(closed.ok());
    CHECK(closed->status == IoStatus::closed);
}
