// The object the KWin script calls back into (org.gamesched.KWinFocus1 at /org/gamesched/KWinFocus).
// Anyone on the session bus can call it, so reports are accepted only from the connection that
// currently owns org.kde.KWin.
#pragma once

#include "helpers/kwin/focus_report.h"
#include "helpers/kwin/org.gamesched.KWinFocus1_adaptor.h"

#include <sdbus-c++/sdbus-c++.h>

#include <functional>
#include <string>

namespace gamesched::kwin {

class FocusService final : public sdbus::AdaptorInterfaces<org::gamesched::KWinFocus1_adaptor> {
public:
    using Handler = std::function<void(FocusReport)>;

    FocusService(sdbus::IConnection& bus, Handler handler);
    ~FocusService();

    // The unique name (":1.42") of KWin's connection; empty while KWin is not on the bus.
    void trust_sender(std::string unique_name) { trusted_sender_ = std::move(unique_name); }

private:
    void FocusChanged(const int32_t& pid, const std::string& resource_class) override;

    Handler handler_;
    std::string trusted_sender_;
};

}  // namespace gamesched::kwin
