#include "helpers/mlcollect/core_link.h"

#include "ipc/messages.h"

namespace gamesched::ml {
namespace {
constexpr ipc::CoreClient::Timeout kRequestTimeout{20000};
}  // namespace

Result<ipc::Tunables> to_message(const TunableValues& values) {
    ipc::Tunables t;
    for (const auto& entry : values) {
        const std::string& name = entry.first;  // clang < 16 cannot capture a structured binding
        const std::uint64_t value = entry.second;
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

CoreLink::CoreLink(std::string socket_path)
    // A guest or a machine under heavy load answers slowly; a request given up too early drops
    // the connection and with it the stats subscription.
    : client_({.socket_path = std::move(socket_path),
               .channel = ipc::Channel::control,
               .timeout = kRequestTimeout}) {
    // Every (re)connect subscribes again: every sample the core takes, once each.
    client_.on_connect([](ipc::CoreClient& c) -> ipc::CallResult<Ok> {
        ipc::Subscribe subscribe;
        subscribe.stats = true;
        subscribe.interval_ms = ipc::kMinStatsIntervalMs;
        if (auto r = c.subscribe(subscribe); !r) return r.error().context("subscribing to statistics");
        return Ok{};
    });
}

Status CoreLink::connect() {
    if (auto r = client_.connect(); !r) return r.error().error;
    return Ok{};
}

Result<std::optional<nlohmann::json>> CoreLink::next_sample(std::chrono::milliseconds timeout) {
    auto push = client_.next_push(timeout);
    if (!push) {
        if (push.error().error.code == ETIMEDOUT && client_.connected())
            return std::optional<nlohmann::json>{};
        client_.disconnect();
        return push.error().error;
    }
    if (auto* stats = std::get_if<ipc::StatsSample>(&*push))
        return std::optional<nlohmann::json>(stats->sample);
    return std::optional<nlohmann::json>{};
}

Status CoreLink::apply(const TunableValues& tunables) {
    auto message = to_message(tunables);
    if (!message) return message.error();
    if (auto r = client_.set_tunables(*message); !r) return r.error().error;
    return Ok{};
}

}  // namespace gamesched::ml
