#include "ipc/messages.h"
#include "ipc/protocol.h"

#include <catch2/catch_test_macros.hpp>

#include <set>

using namespace gamesched::ipc;

TEST_CASE("every message type has one table row with a unique name and number") {
    const MessageType all[] = {
        MessageType::game_started,    MessageType::game_exited,     MessageType::focus_changed,
        MessageType::register_game,   MessageType::unregister_game, MessageType::renew,
        MessageType::desktop_process, MessageType::set_tunables,    MessageType::set_mode,
        MessageType::get_status,      MessageType::subscribe,       MessageType::stop,
        MessageType::process_event,   MessageType::stats_sample};
    std::set<std::string_view> names;
    for (auto type : all) {
        const auto& info = type_info(type);
        CHECK(info.type == type);
        CHECK(type_from_name(info.name) == type);
        names.insert(info.name);
    }
    CHECK(names.size() == std::size(all));
    CHECK(all_types().size() == std::size(all));
    CHECK_FALSE(type_from_name("GAME_STARTED").has_value());
}

TEST_CASE("wire numbers are stable") {
    CHECK(static_cast<int>(MessageType::game_started) == 1);
    CHECK(static_cast<int>(MessageType::renew) == 6);
    CHECK(static_cast<int>(MessageType::desktop_process) == 7);
    CHECK(static_cast<int>(MessageType::set_tunables) == 16);
    CHECK(static_cast<int>(MessageType::subscribe) == 19);
    CHECK(static_cast<int>(MessageType::stop) == 20);
    CHECK(static_cast<int>(MessageType::process_event) == 32);
    CHECK(static_cast<int>(MessageType::stats_sample) == 33);
    // scx_loader's mode numbers.
    CHECK(static_cast<int>(*mode_from_name("gaming")) == 1);
    CHECK(static_cast<int>(*mode_from_name("server")) == 4);
}

// The role × message matrix, written out by hand (USBGuard's access-control test does the same):
// a change to a row of the registry must be a change here too.
TEST_CASE("channels decide where each type is accepted and how big a record may be") {
    struct Expected {
        MessageType type;
        bool hints, control;
        Access access;
        Rate rate;
    };
    const Expected matrix[] = {
        {MessageType::game_started, true, true, Access::anyone, Rate::limited},
        {MessageType::game_exited, true, true, Access::anyone, Rate::limited},
        {MessageType::focus_changed, true, true, Access::anyone, Rate::limited},
        {MessageType::register_game, true, true, Access::anyone, Rate::limited},
        {MessageType::unregister_game, true, true, Access::anyone, Rate::limited},
        {MessageType::renew, true, true, Access::anyone, Rate::limited},
        {MessageType::desktop_process, true, true, Access::anyone, Rate::limited},
        {MessageType::set_tunables, false, true, Access::control, Rate::free},
        {MessageType::set_mode, false, true, Access::control, Rate::free},
        {MessageType::get_status, true, true, Access::anyone, Rate::limited},
        {MessageType::subscribe, true, true, Access::anyone, Rate::limited},
        {MessageType::stop, false, true, Access::admin, Rate::free},
        {MessageType::process_event, false, false, Access::none, Rate::free},
        {MessageType::stats_sample, false, false, Access::none, Rate::free},
    };
    CHECK(std::size(matrix) == all_types().size());
    for (const auto& row : matrix) {
        INFO(type_name(row.type));
        CHECK(request_allowed(row.type, Channel::hints) == row.hints);
        CHECK(request_allowed(row.type, Channel::control) == row.control);
        CHECK(type_info(row.type).access == row.access);
        CHECK(type_info(row.type).rate == row.rate);
    }
    CHECK(max_record_size(Channel::hints) == 4096);
    CHECK(max_record_size(Channel::control) == 65536);
}

TEST_CASE("requests that a delegate may send for someone else carry on_behalf_of") {
    STATIC_CHECK(Delegable<RegisterGame>);
    STATIC_CHECK(Delegable<UnregisterGame>);
    STATIC_CHECK(Delegable<SetTunables>);
    STATIC_CHECK(Delegable<SetMode>);
    STATIC_CHECK(Delegable<Stop>);
    STATIC_CHECK_FALSE(Delegable<GameStarted>);  // detect names its own user's processes only
    STATIC_CHECK_FALSE(Delegable<Renew>);
    STATIC_CHECK_FALSE(Delegable<DesktopProcess>);  // the sender's own compositor/audio server only
}

TEST_CASE("a message whose only member is on_behalf_of needs no codec code") {
    STATIC_CHECK(FieldLess<Stop>);
    STATIC_CHECK(FieldLess<GetStatus>);
    STATIC_CHECK_FALSE(FieldLess<SetMode>);
    STATIC_CHECK_FALSE(FieldLess<RegisterGame>);
}
