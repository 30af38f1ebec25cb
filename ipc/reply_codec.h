// The bodies of ok:true replies, one encoder and one decoder per reply type (ipc/replies.h).
// Decoding checks the type and range of every field it knows and ignores fields it does not, so
// a newer core may add fields without breaking older clients.
#pragma once

#include "ipc/replies.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

namespace gamesched::ipc {

[[nodiscard]] std::string_view mode_name(Mode mode);
[[nodiscard]] std::optional<Mode> mode_from_name(std::string_view name);
[[nodiscard]] std::string_view desktop_role_name(DesktopRole role);
[[nodiscard]] std::optional<DesktopRole> desktop_role_from_name(std::string_view name);
class FieldReader;
// The required field "role" (desktop_process and its reply); records the problem in the reader.
void read_desktop_role(FieldReader& reader, DesktopRole& out);

nlohmann::json reply_body(const GameHeld& reply);
nlohmann::json reply_body(const DesktopHeld& reply);
nlohmann::json reply_body(const GameReleased& reply);
nlohmann::json reply_body(const FocusUpdated& reply);
nlohmann::json reply_body(const Renewed& reply);
nlohmann::json reply_body(const Done& reply);
nlohmann::json reply_body(const ModeSet& reply);
nlohmann::json reply_body(const Subscribed& reply);
nlohmann::json reply_body(const CoreStatus& reply);

Status read_reply_body(const nlohmann::json& body, GameHeld& out);
Status read_reply_body(const nlohmann::json& body, DesktopHeld& out);
Status read_reply_body(const nlohmann::json& body, GameReleased& out);
Status read_reply_body(const nlohmann::json& body, FocusUpdated& out);
Status read_reply_body(const nlohmann::json& body, Renewed& out);
Status read_reply_body(const nlohmann::json& body, Done& out);
Status read_reply_body(const nlohmann::json& body, ModeSet& out);
Status read_reply_body(const nlohmann::json& body, Subscribed& out);
Status read_reply_body(const nlohmann::json& body, CoreStatus& out);

}  // namespace gamesched::ipc
