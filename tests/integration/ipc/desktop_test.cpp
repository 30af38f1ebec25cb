// desktop_process against the real server: a user's own compositor or audio server is held like
// a game hint (handed to the scheduler, ended with the process), another user's is refused, and
// each user has a bounded number of them.
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>

#include <array>
#include <memory>

using namespace gamesched;
using namespace gamesched::test;

namespace {

std::size_t scheduler_calls(const nlohmann::json& status, const std::string& call, pid_t pid) {
    std::size_t n = 0;
    for (const auto& c : status.at("scheduler").at("calls")) n += c["call"] == call && c["pid"] == pid;
    return n;
}

}  // namespace

TEST_CASE("a user's own compositor and audio server are held until they exit") {
    TestDaemon daemon;
    Sleeper compositor(kNobody);
    Sleeper audio(kNobody);
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto c =
            client->call(ipc::DesktopProcess{compositor.pid(), ipc::DesktopRole::compositor}, kReplyTimeout);
        auto a = client->call(ipc::DesktopProcess{audio.pid(), ipc::DesktopRole::audio}, kReplyTimeout);
        return nlohmann::json{{"compositor", c.ok() ? *c : nlohmann::json(c.error().message())},
                              {"audio", a.ok() ? *a : nlohmann::json(a.error().message())}};
    });
    auto out = nobody.join();
    INFO(out.dump());
    CHECK(out["compositor"]["role"] == "compositor");
    CHECK(out["compositor"]["owner_uid"] == kNobody);
    CHECK(out["audio"]["role"] == "audio");
    const auto status = daemon.status();
    for (const auto& call : status.at("scheduler").at("calls")) {
        if (call["call"] != "add_desktop_process") continue;
        CHECK(call["uid"] == kNobody);
        CHECK(call["role"] == (call["pid"] == compositor.pid() ? "compositor" : "audio"));
    }
    CHECK(scheduler_calls(status, "add_desktop_process", compositor.pid()) == 1);
    CHECK(scheduler_calls(status, "add_desktop_process", audio.pid()) == 1);

    // The sender is gone but the grace period holds the leases; the process's exit ends one.
    const pid_t pid = compositor.pid();
    compositor.kill_and_reap();
    CHECK(eventually([&] { return scheduler_calls(daemon.status(), "remove_desktop_process", pid) == 1; }));
    CHECK(scheduler_calls(daemon.status(), "remove_desktop_process", audio.pid()) == 0);
}

TEST_CASE("another user's process is refused as a compositor or audio server") {
    TestDaemon daemon;
    Sleeper roots;  // owned by root, like the system's processes
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto c = client->call(ipc::DesktopProcess{roots.pid(), ipc::DesktopRole::compositor}, kReplyTimeout);
        auto a = client->call(ipc::DesktopProcess{1, ipc::DesktopRole::audio}, kReplyTimeout);
        return nlohmann::json{{"compositor_ok", c.ok()}, {"audio_ok", a.ok()}};
    });
    auto out = nobody.join();
    INFO(out.dump());
    CHECK(out["compositor_ok"] == false);
    CHECK(out["audio_ok"] == false);
    const auto status = daemon.status();
    CHECK(scheduler_calls(status, "add_desktop_process", roots.pid()) == 0);
    CHECK(scheduler_calls(status, "add_desktop_process", 1) == 0);
}

TEST_CASE("a user holds at most four desktop processes") {
    TestDaemon daemon;
    std::array<std::unique_ptr<Sleeper>, 5> processes;
    for (auto& p : processes) p = std::make_unique<Sleeper>();
    auto hints = daemon.connect(ipc::Channel::hints);
    for (std::size_t i = 0; i < 4; ++i) {
        REQUIRE(hints.call(ipc::DesktopProcess{processes[i]->pid(), ipc::DesktopRole::audio}, kReplyTimeout)
                    .ok());
    }
    // Naming one again replaces its lease: still four.
    CHECK(hints.call(ipc::DesktopProcess{processes[0]->pid(), ipc::DesktopRole::compositor}, kReplyTimeout)
              .ok());
    auto fifth = hints.call(ipc::DesktopProcess{processes[4]->pid(), ipc::DesktopRole::audio}, kReplyTimeout);
    REQUIRE_FALSE(fifth.ok());
    CHECK(fifth.error().message().find("the limit") != std::string::npos);
}
