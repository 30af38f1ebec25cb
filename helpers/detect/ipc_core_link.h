// CoreLink over the ipc library: hints.sock, subscribe{process_events}, game_started/exited
// hints and renew.
#pragma once

#include <optional>
#include <string>

#include "helpers/detect/core_link.h"
#include "ipc/client.h"

namespace gamesched::detect {

class IpcCoreLink final : public CoreLink {
public:
    explicit IpcCoreLink(std::string socket_path) : socket_path_(std::move(socket_path)) {}

    Status connect() override;
    void disconnect() override { client_.reset(); }
    [[nodiscard]] bool connected() const override { return client_.has_value(); }
    [[nodiscard]] int fd() const override { return client_ ? client_->fd() : -1; }
    Status take_events(std::vector<ProcessNotice>& out) override;
    Status renew() override;
    void game_started(const GameReport& game) override;
    void game_exited(pid_t pid) override;

    // A process-supplied name as a protocol label: printable UTF-8, at most the field limit,
    // cut on a character boundary; never empty.
    static std::string wire_name(const std::string& name, pid_t pid);

private:
    void send_hint(const ipc::Message& message, const std::string& what);

    std::string socket_path_;
    std::optional<ipc::Client> client_;
};

}  // namespace gamesched::detect
