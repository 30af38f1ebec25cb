#include "ipc/reply_codec.h"

#include "ipc/codec.h"
#include "ipc/field_reader.h"
#include "ipc/protocol.h"

#include <array>
#include <limits>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, kModeCount> kModeNames = {"auto", "gaming", "powersave", "lowlatency",
                                                                 "server"};
constexpr auto kMaxUid = std::numeric_limits<std::uint32_t>::max();

// A reader of a reply object: known fields checked, unknown ones left for newer clients.
class BodyReader : public FieldReader {
public:
    BodyReader(const Json& object, std::string_view context)
        : FieldReader(object, context), object_(object) {}
    Status done() {
        if (object_.is_object()) {
            for (const auto& [key, value] : object_.items()) known(key);
        }
        return finish();
    }
    Pid pid(std::string_view key, std::int64_t min = 0) {
        std::int64_t value = 0;
        required_int(key, min, kMaxPid, value);
        return static_cast<Pid>(value);
    }
    std::uint32_t uid(std::string_view key) {
        std::int64_t value = 0;
        required_int(key, 0, kMaxUid, value);
        return static_cast<std::uint32_t>(value);
    }
    bool flag(std::string_view key) {
        std::optional<bool> value;
        optional_bool(key, value);
        if (!value) fail("missing field \"" + std::string(key) + "\" (true or false)");
        return value.value_or(false);
    }

private:
    const Json& object_;
};

Json lease_fields(const LeaseView& lease) {
    Json j = {{"pid", lease.pid},
              {"owner_uid", lease.owner_uid},
              {"sender_uid", lease.sender_uid},
              {"held", lease.held}};
    if (lease.expires_in_ms) j["expires_in_ms"] = *lease.expires_in_ms;
    return j;
}

Status read_lease(const Json& object, std::string_view context, LeaseView& out) {
    if (!object.is_object()) return Error::invalid(std::string(context) + " must be an object");
    BodyReader reader(object, context);
    out.pid = reader.pid("pid", 1);
    out.owner_uid = reader.uid("owner_uid");
    out.sender_uid = reader.uid("sender_uid");
    out.held = reader.flag("held");
    if (const Json* expires = reader.optional_value("expires_in_ms")) {
        if (!expires->is_number_integer())
            reader.fail("field \"expires_in_ms\" must be an integer");
        else
            out.expires_in_ms = expires->get<std::int64_t>();
    }
    return reader.done();
}

Status read_game(const Json& object, GameView& out) {
    if (auto lease = read_lease(object, "game", out.lease); !lease) return lease;
    BodyReader reader(object, "game");
    reader.required_text("name", TextKind::label, kMaxNameBytes, out.name);
    reader.required_text("source", TextKind::token, kMaxSourceBytes, out.source);
    std::int64_t confidence = 0;
    reader.required_int("confidence", 0, 100, confidence);
    out.confidence = static_cast<int>(confidence);
    reader.optional_text("app_id", TextKind::app_id, kMaxAppIdBytes, out.app_id);
    return reader.done();
}

}  // namespace

std::string_view mode_name(Mode mode) {
    return kModeNames.at(static_cast<std::size_t>(mode));
}

std::optional<Mode> mode_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kModeNames.size(); ++i) {
        if (kModeNames[i] == name) return static_cast<Mode>(i);
    }
    return std::nullopt;
}

std::string_view desktop_role_name(DesktopRole role) {
    return role == DesktopRole::audio ? "audio" : "compositor";
}

std::optional<DesktopRole> desktop_role_from_name(std::string_view name) {
    if (name == "compositor") return DesktopRole::compositor;
    if (name == "audio") return DesktopRole::audio;
    return std::nullopt;
}

void read_desktop_role(FieldReader& reader, DesktopRole& out) {
    const Json* role = reader.required_value("role");
    if (role == nullptr) return;
    const auto parsed =
        role->is_string() ? desktop_role_from_name(role->get_ref<const std::string&>()) : std::nullopt;
    if (!parsed) return reader.fail("field \"role\" must be \"compositor\" or \"audio\"");
    out = *parsed;
}

Json reply_body(const DesktopHeld& reply) {
    return {{"pid", reply.pid}, {"owner_uid", reply.owner_uid}, {"role", desktop_role_name(reply.role)}};
}

Json reply_body(const GameHeld& reply) {
    return {{"pid", reply.pid}, {"owner_uid", reply.owner_uid}};
}
Json reply_body(const GameReleased& reply) {
    return {{"removed", reply.removed}};
}
Json reply_body(const FocusUpdated& reply) {
    Json j = {{"pid", reply.pid}};
    if (reply.pid == 0) j["cleared"] = reply.cleared;
    return j;
}
Json reply_body(const Renewed& reply) {
    return {{"renewed", reply.renewed}};
}
Json reply_body(const Done&) {
    return Json::object();
}
Json reply_body(const ModeSet& reply) {
    return {{"mode", mode_name(reply.mode)}};
}
Json reply_body(const Subscribed& reply) {
    Json topics = Json::array();
    if (reply.process_events) topics.push_back("process_events");
    if (reply.stats) topics.push_back("stats");
    Json j = {{"topics", std::move(topics)}};
    if (reply.interval_ms) j["interval_ms"] = *reply.interval_ms;
    return j;
}
Json reply_body(const CoreStatus& reply) {
    Json games = Json::array();
    for (const auto& game : reply.games) {
        Json entry = lease_fields(game.lease);
        entry["name"] = game.name;
        entry["source"] = game.source;
        entry["confidence"] = game.confidence;
        if (game.app_id) entry["app_id"] = *game.app_id;
        games.push_back(std::move(entry));
    }
    Json server = reply.server_details.is_object() ? reply.server_details : Json::object();
    server["games"] = std::move(games);
    server["focus"] = reply.focus ? lease_fields(*reply.focus) : Json(nullptr);
    server["socket_activated"] = reply.socket_activated;
    server["you"] = {{"uid", reply.your_uid}, {"may_control", reply.you_may_control}};
    Json j = {{"server", std::move(server)}};
    if (!reply.scheduler.is_null()) j["scheduler"] = reply.scheduler;
    return j;
}

Status read_reply_body(const Json& body, GameHeld& out) {
    BodyReader reader(body, "reply");
    out.pid = reader.pid("pid", 1);
    out.owner_uid = reader.uid("owner_uid");
    return reader.done();
}
Status read_reply_body(const Json& body, DesktopHeld& out) {
    BodyReader reader(body, "reply");
    out.pid = reader.pid("pid", 1);
    out.owner_uid = reader.uid("owner_uid");
    read_desktop_role(reader, out.role);
    return reader.done();
}
Status read_reply_body(const Json& body, GameReleased& out) {
    BodyReader reader(body, "reply");
    out.removed = reader.flag("removed");
    return reader.done();
}
Status read_reply_body(const Json& body, FocusUpdated& out) {
    BodyReader reader(body, "reply");
    out.pid = reader.pid("pid");
    if (out.pid == 0) out.cleared = reader.flag("cleared");
    return reader.done();
}
Status read_reply_body(const Json& body, Renewed& out) {
    BodyReader reader(body, "reply");
    reader.required_uint("renewed", 0, std::numeric_limits<std::uint64_t>::max(), out.renewed);
    return reader.done();
}
Status read_reply_body(const Json& body, Done&) {
    return BodyReader(body, "reply").done();
}
Status read_reply_body(const Json& body, ModeSet& out) {
    BodyReader reader(body, "reply");
    const Json* mode = reader.required_value("mode");
    const auto parsed = mode != nullptr && mode->is_string()
                            ? mode_from_name(mode->get_ref<const std::string&>())
                            : std::nullopt;
    if (parsed)
        out.mode = *parsed;
    else if (mode != nullptr)
        reader.fail("field \"mode\" is not a mode name");
    return reader.done();
}
Status read_reply_body(const Json& body, Subscribed& out) {
    BodyReader reader(body, "reply");
    if (const Json* topics = reader.required_value("topics")) {
        if (!topics->is_array())
            reader.fail("field \"topics\" must be an array");
        else {
            for (const auto& topic : *topics) {
                out.process_events |= topic == "process_events";
                out.stats |= topic == "stats";
            }
        }
    }
    std::optional<std::uint64_t> interval;
    reader.optional_uint("interval_ms", kMinStatsIntervalMs, kMaxStatsIntervalMs, interval);
    if (interval) out.interval_ms = static_cast<std::uint32_t>(*interval);
    return reader.done();
}
Status read_reply_body(const Json& body, CoreStatus& out) {
    BodyReader reader(body, "reply");
    const Json* server = reader.required_value("server");
    if (const Json* scheduler = reader.optional_value("scheduler")) out.scheduler = *scheduler;
    if (auto top = reader.done(); !top) return top;
    if (!server->is_object()) return Error::invalid("reply: field \"server\" must be an object");
    BodyReader fields(*server, "server");
    const Json* games = fields.required_value("games");
    const Json* focus = fields.required_value("focus");
    out.socket_activated = fields.flag("socket_activated");
    const Json* you = fields.required_value("you");
    if (auto checked = fields.done(); !checked) return checked;
    if (!games->is_array()) return Error::invalid("server: field \"games\" must be an array");
    for (const auto& entry : *games) {
        GameView game;
        if (auto read = read_game(entry, game); !read) return read;
        out.games.push_back(std::move(game));
    }
    if (!focus->is_null()) {
        LeaseView lease;
        if (auto read = read_lease(*focus, "focus", lease); !read) return read;
        out.focus = lease;
    }
    BodyReader identity(*you, "you");
    out.your_uid = identity.uid("uid");
    out.you_may_control = identity.flag("may_control");
    if (auto checked = identity.done(); !checked) return checked;
    out.server_details = Json::object();
    for (const auto& [key, value] : server->items()) {
        if (key != "games" && key != "focus" && key != "socket_activated" && key != "you") {
            out.server_details[key] = value;
        }
    }
    return Ok{};
}

}  // namespace gamesched::ipc
