// Core → client: replies and pushed messages. Clients check what the core sends as strictly as
// the core checks them; a confused or impostor server must not crash a helper.
#include "ipc/codec.h"
#include "ipc/envelope.h"
#include "ipc/field_reader.h"
#include "ipc/json_parse.h"
#include "ipc/utf8.h"
#include "util/log.h"

#include <limits>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

Result<Reply> read_reply(const Json& object) {
    Reply reply;
    FieldReader reader(object, "reply");
    reader.known("v");
    std::optional<std::uint64_t> id;
    reader.optional_uint("id", 0, kMaxRequestId, id);
    reply.id = id;
    std::optional<bool> ok;
    reader.optional_bool("ok", ok);
    if (!ok) reader.fail("missing field \"ok\" (true or false)");
    reply.ok = ok.value_or(false);
    if (reply.ok) {
        if (reader.failed()) return reader.finish().error();
        // Every other field of an ok reply is its body.
        for (const auto& [key, value] : object.items()) {
            if (key != "v" && key != "id" && key != "ok") reply.body[key] = value;
        }
        return reply;
    }
    reader.required_text("error", TextKind::label, kMaxErrorBytes, reply.error);
    // A name this version does not know (a newer core) leaves the code unspecified.
    if (const Json* code = reader.optional_value("errno"); code != nullptr) {
        if (code->is_string() && code->get_ref<const std::string&>().size() <= kMaxErrnoNameBytes) {
            reply.code = errno_from_wire_name(code->get_ref<const std::string&>());
        } else {
            reader.fail("field \"errno\" must be an errno name such as \"EPERM\"");
        }
    }
    if (auto status = reader.finish(); !status) return status.error();
    return reply;
}

Result<Message> read_process_event(FieldReader& reader) {
    ProcessEvent m;
    const Json* kind = reader.required_value("kind");
    if (kind != nullptr) {
        if (*kind == "exec")
            m.kind = ProcessEventKind::exec;
        else if (*kind == "exit")
            m.kind = ProcessEventKind::exit;
        else
            reader.fail("field \"kind\" must be \"exec\" or \"exit\"");
    }
    std::int64_t pid = 0, ppid = 0, uid = 0;
    reader.required_int("pid", kMinPid, kMaxPid, pid);
    reader.required_int("ppid", 0, kMaxPid, ppid);
    reader.required_int("uid", 0, std::numeric_limits<std::uint32_t>::max(), uid);
    m.pid = static_cast<Pid>(pid);
    m.ppid = static_cast<Pid>(ppid);
    m.uid = static_cast<std::uint32_t>(uid);
    const Json* comm = reader.required_value("comm");
    if (comm != nullptr) {
        if (comm->is_string() && comm->get_ref<const std::string&>().size() <= kMaxCommBytes &&
            is_printable_text(comm->get_ref<const std::string&>())) {
            m.comm = comm->get<std::string>();
        } else {
            reader.fail("field \"comm\" must be a string of at most 64 bytes of printable UTF-8");
        }
    }
    reader.required_uint("ts_ns", 0, std::numeric_limits<std::uint64_t>::max(), m.ts_ns);
    if (auto status = reader.finish(); !status) return status.error();
    return Message{std::move(m)};
}

Result<Message> read_push(const Json& object) {
    const auto type = object.find("type");
    if (type == object.end() || !type->is_string()) {
        return Error::invalid("record has neither \"ok\" nor a string \"type\"");
    }
    const auto& name = type->get_ref<const std::string&>();
    const auto known = type_from_name(name);
    if (!known || type_info(*known).direction != Direction::push) {
        return Error::invalid("\"" + printable(name, 40) + "\" is not a message the core pushes");
    }
    FieldReader reader(object, name);
    reader.known("v");
    reader.known("type");
    if (*known == MessageType::process_event) return read_process_event(reader);
    StatsSample m;
    const Json* sample = reader.required_value("sample");
    if (sample != nullptr && !sample->is_object()) reader.fail("field \"sample\" must be an object");
    if (auto status = reader.finish(); !status) return status.error();
    m.sample = *sample;
    return Message{std::move(m)};
}

}  // namespace

Result<ServerRecord> decode_server_record(std::string_view record, Channel channel) {
    if (record.size() > max_record_size(channel)) {
        return Error{EMSGSIZE,
                     "record from the core exceeds " + std::to_string(max_record_size(channel)) + " bytes"};
    }
    auto parsed = parse_json_object(record);
    if (!parsed) return parsed.error();
    if (auto version = check_protocol_version(*parsed); !version) return version.error();
    if (parsed->contains("ok")) {
        auto reply = read_reply(*parsed);
        if (!reply) return reply.error();
        return ServerRecord{std::move(*reply)};
    }
    auto push = read_push(*parsed);
    if (!push) return push.error();
    return ServerRecord{std::move(*push)};
}

}  // namespace gamesched::ipc
