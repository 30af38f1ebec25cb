// Field-level rejection, driven by every valid example: each required field missing, each field
// given a value of the wrong kind, an unknown field added.
#include "ipc/codec.h"
#include "tests/unit/ipc/examples.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <map>
#include <set>

using namespace gamesched::ipc;
using Catch::Matchers::ContainsSubstring;
using Json = nlohmann::json;

namespace {

const std::map<std::string, std::set<std::string>> kRequired = {
    {"game_started", {"pid", "name", "source", "confidence"}},
    {"game_exited", {"pid"}},
    {"focus_changed", {"pid"}},
    {"register_game", {"pid"}},
    {"unregister_game", {"pid"}},
    {"desktop_process", {"pid", "role"}},
    {"set_mode", {"mode"}},
    {"subscribe", {"topics"}},
};

std::string decode_error(const Json& object, Channel channel) {
    auto decoded = decode_request(object.dump(), channel);
    REQUIRE_FALSE(decoded.ok());
    return decoded.error().message;
}

// Values of another JSON kind than the valid one, so none of them can be acceptable.
std::vector<Json> wrong_kinds(const Json& valid) {
    std::vector<Json> values = {nullptr, 1.5, Json::object()};
    if (!valid.is_array()) values.push_back(Json::array());
    if (valid.is_number()) values.insert(values.end(), {"12", true});
    if (valid.is_string()) values.insert(values.end(), {12, false});
    if (valid.is_boolean()) values.insert(values.end(), {1, "true"});
    if (valid.is_array()) values.insert(values.end(), {"stats", 1});
    return values;
}

bool is_envelope(const std::string& key) {
    return key == "v" || key == "id" || key == "type";
}

}  // namespace

TEST_CASE("a missing required field is named; a missing optional one is fine") {
    for (const auto& example : gamesched::ipc::test::request_examples()) {
        const Json valid = Json::parse(encode_request(example.request));
        const std::string type = valid["type"];
        for (const auto& [key, value] : valid.items()) {
            if (is_envelope(key)) continue;
            Json without = valid;
            without.erase(key);
            INFO(without.dump());
            auto decoded = decode_request(without.dump(), example.channel);
            const bool required = kRequired.contains(type) && kRequired.at(type).contains(key);
            // set_tunables needs at least one field; the examples with one field hit that rule.
            const bool last_tunable = type == "set_tunables" && valid.size() == 4;
            if (required || last_tunable) {
                REQUIRE_FALSE(decoded.ok());
                CHECK_THAT(decoded.error().message, ContainsSubstring(type + ":"));
                if (required) {
                    CHECK_THAT(decoded.error().message,
                               ContainsSubstring("missing required field \"" + key + "\""));
                }
            } else {
                CHECK(decoded.ok());
            }
        }
    }
}

TEST_CASE("a field of the wrong kind is refused and named") {
    for (const auto& example : gamesched::ipc::test::request_examples()) {
        const Json valid = Json::parse(encode_request(example.request));
        for (const auto& [key, value] : valid.items()) {
            if (is_envelope(key)) continue;
            for (const auto& wrong : wrong_kinds(value)) {
                Json broken = valid;
                broken[key] = wrong;
                INFO(broken.dump());
                CHECK_THAT(decode_error(broken, example.channel), ContainsSubstring(key));
            }
        }
    }
}

TEST_CASE("an unknown field is refused and the allowed ones are listed") {
    for (const auto& example : gamesched::ipc::test::request_examples()) {
        Json broken = Json::parse(encode_request(example.request));
        broken["colour"] = "blue";
        INFO(broken.dump());
        const auto error = decode_error(broken, example.channel);
        CHECK_THAT(error, ContainsSubstring("unknown field \"colour\""));
        CHECK_THAT(error, ContainsSubstring("allowed fields:"));
    }
}

TEST_CASE("an unknown field name is escaped in the error") {
    const auto error =
        decode_error({{"v", 1}, {"id", 1}, {"type", "renew"}, {"\x1b[31mred", 1}}, Channel::hints);
    CHECK_THAT(error, ContainsSubstring("\\x1b[31mred"));
    CHECK(error.find('\x1b') == std::string::npos);
}

TEST_CASE("the envelope is checked: version, id, type") {
    const Json base = {{"v", 1}, {"id", 5}, {"type", "get_status"}};
    for (const Json& version : {Json(2), Json(0), Json("1"), Json(1.0), Json(nullptr)}) {
        Json broken = base;
        broken["v"] = version;
        CHECK_THAT(decode_error(broken, Channel::hints), ContainsSubstring("protocol version"));
    }
    Json no_version = base;
    no_version.erase("v");
    CHECK_THAT(decode_error(no_version, Channel::hints), ContainsSubstring("\"v\":1"));

    for (const Json& id : {Json(-1), Json(9007199254740992ULL), Json("5"), Json(5.0)}) {
        Json broken = base;
        broken["id"] = id;
        CHECK_THAT(decode_error(broken, Channel::hints), ContainsSubstring("\"id\""));
    }
    Json no_id = base;
    no_id.erase("id");
    CHECK_THAT(decode_error(no_id, Channel::hints), ContainsSubstring("\"id\""));

    Json unknown = base;
    unknown["type"] = "reboot";
    const auto error = decode_error(unknown, Channel::hints);
    CHECK_THAT(error, ContainsSubstring("unknown message type \"reboot\""));
    CHECK_THAT(error, ContainsSubstring("game_started"));
    CHECK_THAT(error, !ContainsSubstring("set_tunables"));  // not offered on hints.sock
    for (const Json& type : {Json(18), Json(nullptr), Json::array({"get_status"})}) {
        Json broken = base;
        broken["type"] = type;
        CHECK_THAT(decode_error(broken, Channel::hints), ContainsSubstring("\"type\""));
    }
}

TEST_CASE("control-only and core-only types are refused where they do not belong") {
    const Json mode = {{"v", 1}, {"id", 1}, {"type", "set_mode"}, {"mode", "gaming"}};
    auto on_hints = decode_request(mode.dump(), Channel::hints);
    REQUIRE_FALSE(on_hints.ok());
    CHECK(on_hints.error().code == EPERM);
    CHECK_THAT(on_hints.error().message, ContainsSubstring("control.sock only"));
    CHECK(decode_request(mode.dump(), Channel::control).ok());

    for (auto channel : {Channel::hints, Channel::control}) {
        for (const auto& push : gamesched::ipc::test::push_examples()) {
            Json as_request = Json::parse(encode_push(push));
            as_request["id"] = 1;
            CHECK_THAT(decode_error(as_request, channel), ContainsSubstring("sent by the core"));
        }
    }
}

TEST_CASE("every message is refused when oversized, not UTF-8, of another version or type") {
    for (const auto& example : gamesched::ipc::test::request_examples()) {
        const std::string valid = encode_request(example.request);
        INFO(valid);
        std::string oversized = valid;
        oversized.resize(max_record_size(example.channel) + 1, ' ');
        auto too_big = decode_request(oversized, example.channel);
        REQUIRE_FALSE(too_big.ok());
        CHECK(too_big.error().code == EMSGSIZE);

        Json with_bad_text = Json::parse(valid);
        with_bad_text["zz"] = "placeholder";
        std::string bad_utf8 = with_bad_text.dump();
        bad_utf8.replace(bad_utf8.find("placeholder"), 11, "\xC3\x28");
        auto not_utf8 = decode_request(bad_utf8, example.channel);
        REQUIRE_FALSE(not_utf8.ok());
        CHECK_THAT(not_utf8.error().message, ContainsSubstring("UTF-8"));

        Json version = Json::parse(valid);
        version["v"] = 2;
        CHECK_THAT(decode_error(version, example.channel), ContainsSubstring("protocol version"));

        Json unknown = Json::parse(valid);
        unknown["type"] = std::string(unknown["type"]) + "_v2";
        CHECK_THAT(decode_error(unknown, example.channel), ContainsSubstring("unknown message type"));
    }
}
