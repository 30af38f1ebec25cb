// Client → core: envelope first (size, JSON, version, id, type, channel), then the type's fields.
#include "ipc/codec.h"
#include "ipc/envelope.h"
#include "ipc/field_reader.h"
#include "ipc/json_parse.h"
#include "util/log.h"

#include <limits>
#include <type_traits>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

Pid read_pid(FieldReader& reader, std::int64_t min = kMinPid) {
    std::int64_t pid = 0;
    reader.required_int("pid", min, kMaxPid, pid);
    return static_cast<Pid>(pid);
}

void read_on_behalf_of(FieldReader& reader, Channel channel, OnBehalfOf& out) {
    if (channel == Channel::hints && reader.has("on_behalf_of")) {
        reader.fail(
            "field \"on_behalf_of\" is accepted on control.sock only; on hints.sock the sender's "
            "own uid applies, so leave it out");
        return;
    }
    std::optional<std::uint64_t> uid;
    reader.optional_uint("on_behalf_of", 0, std::numeric_limits<std::uint32_t>::max() - 1, uid);
    if (uid) out = static_cast<std::uint32_t>(*uid);
}

// Per-type fields. Types without fields need no reader.
template <FieldLess M>
void read_fields(FieldReader&, M&) {}

void read_fields(FieldReader& reader, GameStarted& m) {
    m.pid = read_pid(reader);
    reader.optional_text("app_id", TextKind::app_id, kMaxAppIdBytes, m.app_id);
    reader.required_text("name", TextKind::label, kMaxNameBytes, m.name);
    reader.required_text("source", TextKind::token, kMaxSourceBytes, m.source);
    std::int64_t confidence = 0;
    reader.required_int("confidence", 0, 100, confidence);
    m.confidence = static_cast<int>(confidence);
}

void read_fields(FieldReader& reader, GameExited& m) {
    m.pid = read_pid(reader);
}

void read_fields(FieldReader& reader, FocusChanged& m) {
    m.pid = read_pid(reader, 0);
}

void read_fields(FieldReader& reader, DesktopProcess& m) {
    m.pid = read_pid(reader);
    read_desktop_role(reader, m.role);
}

void read_fields(FieldReader& reader, RegisterGame& m) {
    m.pid = read_pid(reader);
}

void read_fields(FieldReader& reader, UnregisterGame& m) {
    m.pid = read_pid(reader);
}

void read_fields(FieldReader& reader, SetTunables& m) {
    for (const auto& range : kTunableRanges) {
        reader.optional_uint(range.name, range.min, range.max, m.tunables.*range.member);
    }
    reader.optional_bool("preempt_enabled", m.tunables.preempt_enabled);
    if (m.tunables == Tunables{} && !reader.failed()) {
        reader.fail("no tunable given; set at least one field (see docs/protocol.md)");
    }
    const auto& t = m.tunables;
    if (t.slice_us && t.slice_min_us && *t.slice_min_us > *t.slice_us) {
        reader.fail("slice_min_us must not exceed slice_us");
    }
}

void read_fields(FieldReader& reader, SetMode& m) {
    const Json* mode = reader.required_value("mode");
    if (mode == nullptr) return;
    if (mode->is_string()) {
        if (auto parsed = mode_from_name(mode->get_ref<const std::string&>())) {
            m.mode = *parsed;
            return;
        }
    } else if (mode->is_number_unsigned() && mode->get<std::uint64_t>() < kModeCount) {
        m.mode = static_cast<Mode>(mode->get<std::uint64_t>());
        return;
    }
    reader.fail(
        "field \"mode\" must be one of auto, gaming, powersave, lowlatency, server "
        "(or scx_loader's number 0..4)");
}

void read_topics(FieldReader& reader, const Json& topics, Subscribe& m) {
    const auto refuse = [&reader] {
        reader.fail(
            "field \"topics\" must be an array of distinct topics, \"process_events\" "
            "and/or \"stats\" (an empty array unsubscribes)");
    };
    if (!topics.is_array() || topics.size() > 2) return refuse();
    for (const auto& topic : topics) {
        bool* flag = nullptr;
        if (topic == "process_events") flag = &m.process_events;
        if (topic == "stats") flag = &m.stats;
        if (flag == nullptr || *flag) return refuse();
        *flag = true;
    }
}

void read_fields(FieldReader& reader, Subscribe& m) {
    if (const Json* topics = reader.required_value("topics"); topics != nullptr) {
        read_topics(reader, *topics, m);
    }
    std::optional<std::uint64_t> interval;
    reader.optional_uint("interval_ms", kMinStatsIntervalMs, kMaxStatsIntervalMs, interval);
    if (interval && !m.stats) reader.fail("field \"interval_ms\" applies to the stats topic only");
    if (interval) m.interval_ms = static_cast<std::uint32_t>(*interval);
}

template <typename M>
M read_request(FieldReader& reader, Channel channel) {
    M m;
    if constexpr (M::info.direction == Direction::push) {
        reader.fail("is sent by the core, never accepted from clients");
    } else {
        read_fields(reader, m);
        if constexpr (Delegable<M>) read_on_behalf_of(reader, channel, m.on_behalf_of);
    }
    return m;
}

template <typename... M>
Message read_body(MessageType type, FieldReader& reader, Channel channel, std::variant<M...>*) {
    Message message;
    static_cast<void>(
        ((M::info.type == type ? (message = read_request<M>(reader, channel), true) : false) || ...));
    return message;
}

std::string known_types(Channel channel) {
    std::string names;
    for (const auto& info : all_types()) {
        if (!request_allowed(info.type, channel)) continue;
        names += (names.empty() ? "" : ", ") + std::string(info.name);
    }
    return names;
}

}  // namespace

Status check_protocol_version(const Json& object) {
    const auto v = object.find("v");
    if (v == object.end()) {
        return Error::invalid("missing field \"v\"; every message starts with \"v\":1");
    }
    if (!v->is_number_integer() || *v != kProtocolVersion) {
        return Error::invalid("unsupported protocol version " + v->dump() + "; this core speaks \"v\":1");
    }
    return Ok{};
}

Result<Envelope> parse_request_envelope(std::string_view record, Channel channel) {
    const std::size_t limit = max_record_size(channel);
    if (record.size() > limit) {
        return Error{EMSGSIZE, "message of " + std::to_string(record.size()) + " bytes exceeds the " +
                                   std::to_string(limit) + "-byte limit of " +
                                   std::string(channel_name(channel))};
    }
    auto parsed = parse_json_object(record);
    if (!parsed) return parsed.error();
    Envelope envelope;
    envelope.object = std::move(*parsed);
    if (auto version = check_protocol_version(envelope.object); !version) return version.error();
    const auto id = envelope.object.find("id");
    if (id == envelope.object.end() || !id->is_number_unsigned() ||
        id->get<std::uint64_t>() > kMaxRequestId) {
        return Error::invalid("field \"id\" must be an integer in 0.." + std::to_string(kMaxRequestId) +
                              "; the reply echoes it");
    }
    envelope.id = id->get<std::uint64_t>();
    const auto type = envelope.object.find("type");
    if (type == envelope.object.end() || !type->is_string()) {
        return Error::invalid("field \"type\" must be a string naming the message; known types: " +
                              known_types(channel));
    }
    const auto& name = type->get_ref<const std::string&>();
    const auto known = type_from_name(name);
    if (!known) {
        return Error::invalid("unknown message type \"" + printable(name, 40) +
                              "\"; known types: " + known_types(channel));
    }
    envelope.type = *known;
    if (type_info(*known).direction == Direction::push) {
        return Error::invalid(name + " is sent by the core, never accepted from clients");
    }
    if (!request_allowed(*known, channel)) {
        return Error{EPERM,
                     name + " is accepted on " + std::string(access_description(type_info(*known).access))};
    }
    return envelope;
}

Result<Message> decode_request_body(const Envelope& envelope, Channel channel) {
    FieldReader reader(envelope.object, type_name(envelope.type));
    for (const char* key : {"v", "id", "type"}) reader.known(key);
    Message message = read_body(envelope.type, reader, channel, static_cast<Message*>(nullptr));
    if (auto status = reader.finish(); !status) return status.error();
    return message;
}

Result<Request> decode_request(std::string_view record, Channel channel) {
    auto envelope = parse_request_envelope(record, channel);
    if (!envelope) return envelope.error();
    auto message = decode_request_body(*envelope, channel);
    if (!message) return message.error();
    return Request{envelope->id, std::move(*message)};
}

}  // namespace gamesched::ipc
