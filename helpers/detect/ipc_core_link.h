// CoreLink over the typed core client: hints.sock, subscribe{process_events}, game_started/exited
// hints and renew. The service loop paces reconnects (with ipc::Backoff); the client reconnects
// and resends once when a working connection broke.
#pragma once

#include <string>
#include <utility>

#include "helpers/detect/core_link.h"
#include "ipc/core_client.h"

namespace gamesched::detect {

class IpcCoreLink final : public CoreLink {
public:
    explicit IpcCoreLink(std::string socket_path);

    Status connect() override;
    void disconnect() override { client_.disconnect(); }
    [[nodiscard]] bool connected() const override { return client_.connected(); }
    [[nodiscard]] int fd() const override { return client_.fd(); }
    Status take_events(std::vector<ProcessNotice>& out) override;
    Status renew() override;
    void game_started(const GameReport& game) override;
    void game_exited(pid_t pid) override;
    void audio_server(pid_t pid) override;
    bool take_silent_reconnect() override { return std::exchange(silent_reconnect_, false); }

    // A process-supplied name as a protocol label: printable UTF-8, at most the field limit,
    // cut on a character boundary; never empty.
    static std::string wire_name(const std::string& name, pid_t pid);

private:
    template <typename R>
    void report(const ipc::CallResult<R>& result, const std::string& what);

    ipc::CoreClient client_;
    bool connecting_ = false;
    bool silent_reconnect_ = false;
};

}  // namespace gamesched::detect
