#include "helpers/kwin/focus_service.h"

#include "util/log.h"

namespace gamesched::kwin {

FocusService::FocusService(sdbus::IConnection& bus, Handler handler)
    : AdaptorInterfaces(bus, kObjectPath), handler_(std::move(handler)) {
    registerAdaptor();
}

FocusService::~FocusService() {
    unregisterAdaptor();
}

void FocusService::FocusChanged(const int32_t& pid, const std::string& resource_class) {
    const sdbus::Message* call = getObject().getCurrentlyProcessedMessage();
    const std::string sender = call != nullptr ? call->getSender() : std::string();
    if (trusted_sender_.empty() || sender != trusted_sender_) {
        spdlog::warn("ignored a focus report from {}, which is not KWin", printable(sender));
        // sdbus-c++ turns a thrown sdbus::Error into the D-Bus error reply.
        throw sdbus::Error("org.freedesktop.DBus.Error.AccessDenied",
                           "only KWin's connection may report focus changes");
    }
    spdlog::debug("KWin reports focus on pid {} ({})", pid, printable(resource_class));
    handler_(report_from_callback(pid, resource_class));
}

}  // namespace gamesched::kwin
