#include "ipc/codec.h"
#include "ipc/json_parse.h"
#include "ipc/utf8.h"

#include <type_traits>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

// Cuts at a character boundary so the result stays valid UTF-8.
std::string truncate_utf8(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return text;
}

// Per-type fields. Types without fields need no writer.
template <FieldLess M>
Json fields(const M&) {
    return Json::object();
}

Json fields(const GameStarted& m) {
    Json j = {{"pid", m.pid}, {"name", m.name}, {"source", m.source}, {"confidence", m.confidence}};
    if (m.app_id) j["app_id"] = *m.app_id;
    return j;
}
Json fields(const GameExited& m) {
    return {{"pid", m.pid}};
}
Json fields(const FocusChanged& m) {
    return {{"pid", m.pid}};
}
Json fields(const DesktopProcess& m) {
    return {{"pid", m.pid}, {"role", desktop_role_name(m.role)}};
}
Json fields(const RegisterGame& m) {
    return {{"pid", m.pid}};
}
Json fields(const UnregisterGame& m) {
    return {{"pid", m.pid}};
}
Json fields(const SetTunables& m) {
    Json j = Json::object();
    for (const auto& range : kTunableRanges) {
        if (const auto& value = m.tunables.*range.member) j[std::string(range.name)] = *value;
    }
    if (m.tunables.preempt_enabled) j["preempt_enabled"] = *m.tunables.preempt_enabled;
    return j;
}
Json fields(const SetMode& m) {
    return {{"mode", mode_name(m.mode)}};
}
Json fields(const Subscribe& m) {
    Json topics = Json::array();
    if (m.process_events) topics.push_back("process_events");
    if (m.stats) topics.push_back("stats");
    Json j = {{"topics", std::move(topics)}};
    if (m.stats) j["interval_ms"] = m.interval_ms;
    return j;
}
Json fields(const ProcessEvent& m) {
    std::string comm = truncate_utf8(sanitize_text(m.comm), kMaxCommBytes);
    return {{"kind", m.kind == ProcessEventKind::exec ? "exec" : "exit"},
            {"pid", m.pid},
            {"ppid", m.ppid},
            {"uid", m.uid},
            {"comm", std::move(comm)},
            {"ts_ns", m.ts_ns}};
}
Json fields(const StatsSample& m) {
    return {{"sample", m.sample.is_object() ? m.sample : Json::object()}};
}

Json message_object(const Message& message) {
    Json j = {{"v", kProtocolVersion}, {"type", type_name(message_type(message))}};
    std::visit(
        [&j](const auto& m) {
            j.update(fields(m));
            if constexpr (Delegable<std::decay_t<decltype(m)>>) {
                if (m.on_behalf_of) j["on_behalf_of"] = *m.on_behalf_of;
            }
        },
        message);
    return j;
}

}  // namespace

std::string encode_request(const Request& request) {
    Json j = message_object(request.message);
    j["id"] = request.id;
    return dump_json(j);
}

std::string encode_push(const Message& message) {
    return dump_json(message_object(message));
}

std::string encode_reply(const Reply& reply) {
    Json j = Json::object();
    if (reply.ok && reply.body.is_object()) j = reply.body;
    j.erase("id");  // the envelope's id is the request's, never the body's
    j["v"] = kProtocolVersion;
    if (reply.id) j["id"] = *reply.id;
    j["ok"] = reply.ok;
    if (!reply.ok) {
        std::string error = truncate_utf8(sanitize_text(reply.error), kMaxErrorBytes);
        j["error"] = error.empty() ? std::string("unspecified error") : std::move(error);
        if (auto name = errno_wire_name(reply.code)) j["errno"] = *name;
    }
    return dump_json(j);
}

Reply ok_reply(std::optional<std::uint64_t> id, Json body) {
    return Reply{id, true, {}, body.is_object() ? std::move(body) : Json::object()};
}

Reply error_reply(std::optional<std::uint64_t> id, std::string error, int code) {
    return Reply{id, false, std::move(error), Json::object(), errno_wire_name(code) ? code : 0};
}

}  // namespace gamesched::ipc
