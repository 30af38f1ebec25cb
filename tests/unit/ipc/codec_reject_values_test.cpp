// Value-level rejection: PIDs, ranges, text rules, sizes, UTF-8, JSON structure.
#include "ipc/codec.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace gamesched::ipc;
using Catch::Matchers::ContainsSubstring;
using Json = nlohmann::json;

namespace {

Json game_started() {
    return {{"v", 1},         {"id", 1},           {"type", "game_started"}, {"pid", 4242},
            {"name", "Game"}, {"source", "steam"}, {"confidence", 90}};
}

std::string decode_error(const std::string& record, Channel channel = Channel::hints) {
    auto decoded = decode_request(record, channel);
    REQUIRE_FALSE(decoded.ok());
    return decoded.error().message;
}

bool accepted(const Json& object, Channel channel = Channel::hints) {
    return decode_request(object.dump(), channel).ok();
}

}  // namespace

TEST_CASE("negative, zero, huge and non-integer PIDs are refused for every PID message") {
    for (const char* type :
         {"game_started", "game_exited", "focus_changed", "register_game", "unregister_game"}) {
        Json base = game_started();
        if (std::string(type) != "game_started") base = {{"v", 1}, {"id", 1}, {"type", type}};
        for (const Json& pid : {Json(-1), Json(-4242), Json(4194305), Json(2147483648LL),
                                Json(18446744073709551615ULL), Json(1e3), Json("4242")}) {
            Json broken = base;
            broken["pid"] = pid;
            INFO(broken.dump());
            CHECK_THAT(decode_error(broken.dump()), ContainsSubstring("\"pid\""));
        }
        Json zero = base;
        zero["pid"] = 0;
        // Only focus_changed gives pid 0 a meaning (nothing focused).
        CHECK(accepted(zero) == (std::string(type) == "focus_changed"));
        Json edge = base;
        edge["pid"] = 4194304;
        CHECK(accepted(edge));
    }
    Json negative = game_started();
    negative["pid"] = -1;
    CHECK_THAT(decode_error(negative.dump()), ContainsSubstring("1..4194304"));
}

TEST_CASE("game_started text fields follow their rules") {
    const auto with = [](const char* key, const Json& value) {
        Json m = game_started();
        m[key] = value;
        return m;
    };
    CHECK(accepted(with("name", std::string(128, 'n'))));
    CHECK_FALSE(accepted(with("name", std::string(129, 'n'))));
    CHECK(accepted(with("name", "Ĝame \xF0\x9F\x8E\xAE")));
    CHECK_FALSE(accepted(with("name", "")));
    CHECK_FALSE(accepted(with("name", "bad\nname")));
    CHECK_FALSE(accepted(with("name", std::string("nul\0in", 6))));
    CHECK_FALSE(accepted(with("name",
                              "c1\xC2\x85"
                              "control")));
    CHECK_FALSE(accepted(with("source", "Steam")));
    CHECK_FALSE(accepted(with("source", "st eam")));
    CHECK_FALSE(accepted(with("source", std::string(33, 's'))));
    CHECK(accepted(with("app_id", "com.valvesoftware.Steam:570-x_y")));
    CHECK_FALSE(accepted(with("app_id", "570 ")));
    CHECK_FALSE(accepted(with("app_id", std::string(65, '5'))));
    CHECK(accepted(with("confidence", 0)));
    CHECK(accepted(with("confidence", 100)));
    CHECK_THAT(decode_error(with("confidence", 101).dump()), ContainsSubstring("0..100"));
    CHECK_THAT(decode_error(with("confidence", -1).dump()), ContainsSubstring("confidence"));
}

TEST_CASE("records above the channel's size cap are refused before parsing") {
    std::string record = game_started().dump();
    record.resize(kHintsMaxRecord, ' ');  // JSON allows trailing whitespace
    CHECK(decode_request(record, Channel::hints).ok());
    record.push_back(' ');
    auto oversized = decode_request(record, Channel::hints);
    REQUIRE_FALSE(oversized.ok());
    CHECK(oversized.error().code == EMSGSIZE);
    CHECK_THAT(oversized.error().message, ContainsSubstring("4096-byte limit of hints.sock"));
    CHECK(decode_request(record, Channel::control).ok());
    record.resize(kControlMaxRecord + 1, ' ');
    CHECK_THAT(decode_error(record, Channel::control), ContainsSubstring("65536-byte limit"));
}

TEST_CASE("invalid UTF-8 anywhere in a record is refused") {
    const std::string prefix = R"({"v":1,"id":1,"type":"game_started","pid":5,"source":"steam",)"
                               R"("confidence":1,"name":")";
    for (const std::string bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80", "\x80",
                                  "\xf8\x88\x80\x80\x80"}) {
        INFO(bad.size());
        CHECK_THAT(decode_error(prefix + "x" + bad + "\"}"), ContainsSubstring("UTF-8"));
    }
    // In a key, too.
    CHECK_THAT(decode_error("{\"v\":1,\"id\":1,\"type\":\"renew\",\"\xff\":1}"), ContainsSubstring("UTF-8"));
    // An escaped lone surrogate is not a character either.
    CHECK_FALSE(decode_request(prefix + "\\ud800\"}", Channel::hints).ok());
}

TEST_CASE("malformed JSON structure is refused") {
    for (const std::string& record : std::vector<std::string>{
             "", " ", "null", "[]", "\"x\"", "42", "{", "{\"v\":1,}", R"({"v":1} {"v":1})",
             R"({"v":1,"id":1,"type":"renew"}x)", std::string("{\"v\":1,\"id\":1,\"type\":\"renew\"}\0", 30),
             std::string("{\"v\":1,\"id\":1,\"type\":\"renew\"}\0{\"hidden", 38)}) {
        INFO(record);
        CHECK_FALSE(decode_request(record, Channel::hints).ok());
    }
    CHECK_THAT(decode_error(R"({"v":1,"id":1,"type":"game_exited","pid":5,"pid":1})"),
               ContainsSubstring("repeats a key"));
    CHECK_THAT(decode_error(R"({"v":1,"id":1,"type":"renew","x":[[[[[[[[[1]]]]]]]]]})"),
               ContainsSubstring("nests deeper"));
    CHECK_THAT(decode_error(R"({"v":1,"id":1,"type":"renew","x":{"y":{"y":1,"y":2}}})"),
               ContainsSubstring("repeats a key"));
}

TEST_CASE("on_behalf_of names a uid only on control.sock, and only on delegable requests") {
    for (const char* type : {"register_game", "unregister_game"}) {
        INFO(type);
        const Json m = {{"v", 1}, {"id", 1}, {"type", type}, {"pid", 5}, {"on_behalf_of", 1000}};
        CHECK_THAT(decode_error(m.dump(), Channel::hints), ContainsSubstring("control.sock only"));
        auto on_control = decode_request(m.dump(), Channel::control);
        REQUIRE(on_control.ok());
        CHECK(std::visit(
                  [](const auto& message) -> OnBehalfOf {
                      if constexpr (Delegable<std::decay_t<decltype(message)>>) return message.on_behalf_of;
                      return std::nullopt;
                  },
                  on_control->message) == 1000u);
        Json bad_uid = m;
        bad_uid["on_behalf_of"] = 4294967295LL;  // (uid_t)-1 means "no uid" to the kernel
        CHECK_FALSE(decode_request(bad_uid.dump(), Channel::control).ok());
    }
    const Json mode = {{"v", 1}, {"id", 1}, {"type", "set_mode"}, {"mode", "gaming"}, {"on_behalf_of", 1000}};
    auto set_mode = decode_request(mode.dump(), Channel::control);
    REQUIRE(set_mode.ok());
    CHECK(std::get<SetMode>(set_mode->message).on_behalf_of == 1000u);
    // Requests that act for nobody in particular have no such field.
    const Json renew = {{"v", 1}, {"id", 1}, {"type", "renew"}, {"on_behalf_of", 1000}};
    CHECK_THAT(decode_error(renew.dump(), Channel::control),
               ContainsSubstring("unknown field \"on_behalf_of\""));
}

TEST_CASE("set_tunables enforces each range and needs at least one field") {
    const Json base = {{"v", 1}, {"id", 1}, {"type", "set_tunables"}};
    for (const auto& range : kTunableRanges) {
        const std::string name(range.name);
        INFO(name);
        Json m = base;
        m[name] = range.min;
        CHECK(accepted(m, Channel::control));
        m[name] = range.max;
        CHECK(accepted(m, Channel::control));
        m[name] = range.max + 1;
        CHECK_THAT(decode_error(m.dump(), Channel::control), ContainsSubstring(name));
        if (range.min > 0) {
            m[name] = range.min - 1;
            CHECK_THAT(decode_error(m.dump(), Channel::control), ContainsSubstring(name));
        }
        m[name] = -1;
        CHECK_FALSE(accepted(m, Channel::control));
    }
    CHECK_THAT(decode_error(base.dump(), Channel::control), ContainsSubstring("at least one"));
    Json inverted = base;
    inverted["slice_us"] = 1000;
    inverted["slice_min_us"] = 2000;
    CHECK_THAT(decode_error(inverted.dump(), Channel::control),
               ContainsSubstring("slice_min_us must not exceed slice_us"));
}

TEST_CASE("set_mode refuses unknown modes") {
    for (const Json& mode : {Json("turbo"), Json("Gaming"), Json(5), Json(-1), Json(1.0)}) {
        const Json m = {{"v", 1}, {"id", 1}, {"type", "set_mode"}, {"mode", mode}};
        CHECK_THAT(decode_error(m.dump(), Channel::control), ContainsSubstring("lowlatency"));
    }
}

TEST_CASE("subscribe validates topics and the stats interval") {
    const auto subscribe = [](const Json& topics) {
        return Json{{"v", 1}, {"id", 1}, {"type", "subscribe"}, {"topics", topics}};
    };
    CHECK_FALSE(accepted(subscribe({"stats", "stats"}), Channel::control));
    CHECK_FALSE(accepted(subscribe({"everything"}), Channel::control));
    CHECK_FALSE(accepted(subscribe({"stats", "process_events", "stats"}), Channel::control));
    Json interval = subscribe({"stats"});
    interval["interval_ms"] = 99;
    CHECK_FALSE(accepted(interval, Channel::control));
    interval["interval_ms"] = 60001;
    CHECK_FALSE(accepted(interval, Channel::control));
    interval["interval_ms"] = 250;
    auto decoded = decode_request(interval.dump(), Channel::control);
    REQUIRE(decoded.ok());
    CHECK(std::get<Subscribe>(decoded->message).interval_ms == 250);
    Json stray = subscribe({"process_events"});
    stray["interval_ms"] = 250;
    CHECK_THAT(decode_error(stray.dump()), ContainsSubstring("stats topic only"));
}

TEST_CASE("desktop_process names a pid and one of two roles") {
    const Json ok = {{"v", 1}, {"id", 1}, {"type", "desktop_process"}, {"pid", 42}, {"role", "audio"}};
    CHECK(accepted(ok));
    for (const Json& role : {Json("gpu"), Json("Compositor"), Json(1), Json(nullptr), Json("")}) {
        Json broken = ok;
        broken["role"] = role;
        INFO(broken.dump());
        CHECK_THAT(decode_error(broken.dump()), ContainsSubstring("\"compositor\" or \"audio\""));
    }
    Json missing = ok;
    missing.erase("role");
    CHECK_THAT(decode_error(missing.dump()), ContainsSubstring("role"));
    Json zero = ok;
    zero["pid"] = 0;
    CHECK_THAT(decode_error(zero.dump()), ContainsSubstring("\"pid\""));
    Json delegated = ok;
    delegated["on_behalf_of"] = 1000;
    CHECK_FALSE(accepted(delegated, Channel::control));  // a user's own processes only
}
