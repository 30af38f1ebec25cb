#include "ipc/messages.h"
#include "ipc/protocol.h"

#include <catch2/catch_test_macros.hpp>

#include <set>

using namespace gamesched::ipc;

TEST_CASE("every message type has one table row with a unique name and number") {
    const MessageType all[] = {
        MessageType::game_started,  MessageType::game_exited,     MessageType::focus_changed,
        MessageType::register_game, MessageType::unregister_game, MessageType::renew,
        MessageType::set_tunables,  MessageType::set_mode,        MessageType::get_status,
        MessageType::subscribe,     MessageType::process_event,   MessageType::stats_sample};
    std::set<std::string_view> names;
    for (auto type : all) {
        const auto& info = type_info(type);
        CHECK(info.type == type);
        CHECK(type_from_name(info.name) == type);
        names.insert(info.name);
    }
    CHECK(names.size() == std::size(all));
    CHECK_FALSE(type_from_name("GAME_STARTED").has_value());
}

TEST_CASE("wire numbers are stable") {
    CHECK(static_cast<int>(MessageType::game_started) == 1);
    CHECK(static_cast<int>(MessageType::renew) == 6);
    CHECK(static_cast<int>(MessageType::set_tunables) == 16);
    CHECK(static_cast<int>(MessageType::subscribe) == 19);
    CHECK(static_cast<int>(MessageType::process_event) == 32);
    CHECK(static_cast<int>(MessageType::stats_sample) == 33);
    // scx_loader's mode numbers.
    CHECK(static_cast<int>(*mode_from_name("gaming")) == 1);
    CHECK(static_cast<int>(*mode_from_name("server")) == 4);
}

TEST_CASE("channels decide where each type is accepted and how big a record may be") {
    CHECK(request_allowed(MessageType::game_started, Channel::hints));
    CHECK(request_allowed(MessageType::game_started, Channel::control));
    CHECK_FALSE(request_allowed(MessageType::set_tunables, Channel::hints));
    CHECK_FALSE(request_allowed(MessageType::set_mode, Channel::hints));
    CHECK(request_allowed(MessageType::set_mode, Channel::control));
    CHECK_FALSE(request_allowed(MessageType::process_event, Channel::control));
    CHECK_FALSE(request_allowed(MessageType::stats_sample, Channel::hints));
    CHECK(max_record_size(Channel::hints) == 4096);
    CHECK(max_record_size(Channel::control) == 65536);
}
