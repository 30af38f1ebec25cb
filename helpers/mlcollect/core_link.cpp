#include "helpers/mlcollect/core_link.h"

#include "ipc/messages.h"

namespace gamesched::ml {
namespace {

constexpr ipc::Client::Timeout kCallTimeout{2000};

}  // namespace

Result<ipc::Tunables> to_message(const TunableValues& values) {
    ipc::Tunables t;
    for (const auto& [name, value] : values) {
        if (name == "preempt_enabled") {
            t.preempt_enabled = value != 0;
            continue;
        }
        auto range = std::find_if(ipc::kTunableRanges.begin(), ipc::kTunableRanges.end(),
                                  [&](const auto& r) { return r.name == name; });
        if (range == ipc::kTunableRanges.end()) return Error::invalid("unknown tunable '" + name + "'");
        t.*(range->member) = value;
    }
    return t;
}

Status CoreLink::connect() {
    auto client = ipc::Client::connect(socket_path_, ipc::Channel::control);
    if (!client) return client.error().context("connecting to " + socket_path_);
    ipc::Subscribe subscribe;
    subscribe.stats = true;
    subscribe.interval_ms = ipc::kMinStatsIntervalMs;  // every sample the core takes, once each
    if (auto reply = client->call(subscribe, kCallTimeout); !reply)
        return reply.error().context("subscribing to statistics");
    client_ = std::move(*client);
    return Ok{};
}

Result<std::optional<nlohmann::json>> CoreLink::next_sample(std::chrono::milliseconds timeout) {
    if (!client_) return Error{ENOTCONN, "not connected to gamesched-core"};
    auto push = client_->next_push(timeout);
    if (!push) {
        if (push.error().code == ETIMEDOUT) return std::optional<nlohmann::json>{};
        client_.reset();
        return push.error();
    }
    if (auto* stats = std::get_if<ipc::StatsSample>(&*push))
        return std::optional<nlohmann::json>(stats->sample);
    return std::optional<nlohmann::json>{};
}

Status CoreLink::apply(const TunableValues& tunables) {
    if (!client_) return Error{ENOTCONN, "not connected to gamesched-core"};
    auto message = to_message(tunables);
    if (!message) return message.error();
    auto reply = client_->call(ipc::SetTunables{*message}, kCallTimeout);
    if (!reply) {
        if (reply.error().code != 0) client_.reset();  // transport failure, not a refusal
        return reply.error();
    }
    return Ok{};
}

}  // namespace gamesched::ml
