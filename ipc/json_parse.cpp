#include "ipc/json_parse.h"

#include "ipc/protocol.h"
#include "ipc/utf8.h"

#include <set>
#include <string>
#include <vector>

namespace gamesched::ipc {
namespace {

using Json = nlohmann::json;

// Watches the parser's events: one key set per open object, plus the nesting depth.
class StructureCheck {
public:
    bool on_event(Json::parse_event_t event, const Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
                keys_.emplace_back();
                note_depth();
                break;
            case Json::parse_event_t::array_start:
                ++arrays_open_;
                note_depth();
                break;
            case Json::parse_event_t::object_end:
                if (!keys_.empty()) keys_.pop_back();
                break;
            case Json::parse_event_t::array_end:
                if (arrays_open_ > 0) --arrays_open_;
                break;
            case Json::parse_event_t::key:
                if (!keys_.empty() && parsed.is_string() &&
                    !keys_.back().insert(parsed.get_ref<const std::string&>()).second) {
                    duplicate_key_ = true;
                }
                break;
            case Json::parse_event_t::value:
                break;
        }
        return true;
    }

    [[nodiscard]] bool duplicate_key() const { return duplicate_key_; }
    [[nodiscard]] bool too_deep() const { return too_deep_; }

private:
    void note_depth() {
        if (keys_.size() + arrays_open_ > static_cast<std::size_t>(kMaxJsonDepth)) too_deep_ = true;
    }

    std::vector<std::set<std::string>> keys_;
    std::size_t arrays_open_ = 0;
    bool duplicate_key_ = false;
    bool too_deep_ = false;
};

}  // namespace

Result<Json> parse_json_object(std::string_view record) {
    if (!is_valid_utf8(record)) {
        return Error::invalid("message is not valid UTF-8; encode every string as UTF-8");
    }
    // nlohmann's lexer takes a NUL byte for the end of input, which would hide whatever follows
    // it; valid JSON never contains a raw NUL, so refuse it outright.
    if (record.find('\0') != std::string_view::npos) {
        return Error::invalid("message contains a NUL byte; send exactly one JSON object per record");
    }
    StructureCheck check;
    Json value = Json::parse(
        record.begin(), record.end(),
        [&check](int /*depth*/, Json::parse_event_t event, Json& parsed) {
            return check.on_event(event, parsed);
        },
        /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        return Error::invalid("message is not valid JSON; send exactly one JSON object per record");
    }
    if (check.too_deep()) {
        return Error::invalid("message nests deeper than " + std::to_string(kMaxJsonDepth) +
                              " levels; no message needs that");
    }
    if (check.duplicate_key()) {
        return Error::invalid("message repeats a key inside one object; send each field once");
    }
    if (!value.is_object()) {
        return Error::invalid("message must be a JSON object like {\"v\":1,\"id\":1,\"type\":...}");
    }
    return value;
}

std::string dump_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace gamesched::ipc
