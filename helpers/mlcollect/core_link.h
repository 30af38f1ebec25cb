// The collector's connection to gamesched-core's control socket: a stats subscription (every
// sample the core takes) and set_tunables, the only change the collector ever asks for.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "helpers/mlcollect/collector.h"
#include "ipc/core_client.h"

namespace gamesched::ml {

// ipc::Tunables (the set_tunables message) from wire names and values.
[[nodiscard]] Result<ipc::Tunables> to_message(const TunableValues& values);

class CoreLink : public TunablesSink {
public:
    explicit CoreLink(std::string socket_path);

    Status connect();
    [[nodiscard]] bool connected() const { return client_.connected(); }
    [[nodiscard]] int fd() const { return client_.fd(); }
    // The next stats sample, waiting up to `timeout`; nullopt when none came. An error means the
    // connection is gone.
    Result<std::optional<nlohmann::json>> next_sample(std::chrono::milliseconds timeout);
    Status apply(const TunableValues& tunables) override;

private:
    ipc::CoreClient client_;
};

}  // namespace gamesched::ml
