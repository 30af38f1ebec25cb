// `gamesched-bench input-device`: a uinput mouse that moves at a fixed rate while asked to, so
// that the game's input handler wakes on real evdev events, through the kernel's input path
// (where gamesched opens its input boost windows), as it would for hardware. Run as root; the
// event node is made readable by everyone, as logind's seat ACL makes it for the desktop user.
// It runs SCHED_FIFO at priority 50, as the kernel's threaded interrupt handlers do: events
// arrive on time whatever the scheduler under test (sched_ext does not schedule RT tasks).
// Prints {"devnode":...} once the device exists, then: SIGUSR1 starts the motion, SIGUSR2 pauses
// it, SIGTERM/SIGINT end it (and it prints the number of events written).
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "util/unique_fd.h"

namespace gamesched::bench {
namespace {

using Device = std::unique_ptr<libevdev, decltype(&libevdev_free)>;
using Uinput = std::unique_ptr<libevdev_uinput, decltype(&libevdev_uinput_destroy)>;

Result<Uinput> create_mouse() {
    Device dev(libevdev_new(), libevdev_free);
    libevdev_set_name(dev.get(), "gamesched bench mouse");
    libevdev_set_id_bustype(dev.get(), BUS_USB);
    libevdev_set_id_vendor(dev.get(), 0x6a6d);
    libevdev_set_id_product(dev.get(), 0x0001);
    for (unsigned code : {REL_X, REL_Y}) libevdev_enable_event_code(dev.get(), EV_REL, code, nullptr);
    for (unsigned code : {BTN_LEFT, BTN_RIGHT}) libevdev_enable_event_code(dev.get(), EV_KEY, code, nullptr);
    libevdev_uinput* raw = nullptr;
    if (int err = libevdev_uinput_create_from_device(dev.get(), LIBEVDEV_UINPUT_OPEN_MANAGED, &raw); err != 0)
        return Error::from_errno("creating a uinput mouse (is the uinput module loaded? run as root)", -err);
    return Uinput(raw, libevdev_uinput_destroy);
}

void arm(int timer, double hz) {
    const auto interval = static_cast<int64_t>(static_cast<double>(kNsPerS) / hz);
    itimerspec spec{to_timespec(interval), to_timespec(interval)};
    timerfd_settime(timer, 0, &spec, nullptr);
}

void disarm(int timer) {
    itimerspec spec{};
    timerfd_settime(timer, 0, &spec, nullptr);
}

}  // namespace

int run_input_device(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("input-device", parsed.error().message);
    Args& a = *parsed;
    auto hz = a.number("--hz", 500, 1, 8000);
    if (!hz) return usage_error("input-device", hz.error().message);
    if (auto s = a.check_all_used(); !s) return usage_error("input-device", s.error().message);

    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : {SIGUSR1, SIGUSR2, SIGTERM, SIGINT}) sigaddset(&mask, sig);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    UniqueFd signals(signalfd(-1, &mask, SFD_CLOEXEC));
    // Non-blocking: a pause can disarm the timer between poll() and read(), and a blocking read
    // of a disarmed timer would never return.
    UniqueFd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!signals || !timer)
        return usage_error("input-device", "signalfd/timerfd: " + std::string(strerror(errno)));
    auto mouse = create_mouse();
    if (!mouse) return usage_error("input-device", mouse.error().message);
    const char* node = libevdev_uinput_get_devnode(mouse->get());
    if (!node) return usage_error("input-device", "the uinput mouse has no event node (is evdev loaded?)");
    chmod(node, 0644);
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    std::printf("%s\n",
                nlohmann::json{{"bench", "input-device"}, {"devnode", node}, {"hz", *hz}}.dump().c_str());
    (void)std::fflush(stdout);

    uint64_t written = 0;
    int direction = 1;
    pollfd fds[2] = {{signals.get(), POLLIN, 0}, {timer.get(), POLLIN, 0}};
    for (bool running = true; running;) {
        if (poll(fds, 2, -1) < 0) continue;  // EINTR
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (read(signals.get(), &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
            if (info.ssi_signo == SIGUSR1)
                arm(timer.get(), *hz);
            else if (info.ssi_signo == SIGUSR2)
                disarm(timer.get());
            else
                running = false;
        }
        if (fds[1].revents & POLLIN) {
            uint64_t expirations = 0;
            if (read(timer.get(), &expirations, sizeof expirations) !=
                static_cast<ssize_t>(sizeof expirations))
                continue;
            // One motion packet per tick, however late: a mouse reports its position, not a backlog.
            libevdev_uinput_write_event(mouse->get(), EV_REL, REL_X, direction);
            libevdev_uinput_write_event(mouse->get(), EV_SYN, SYN_REPORT, 0);
            direction = -direction;
            ++written;
        }
    }
    std::printf("%s\n", nlohmann::json{{"bench", "input-device"}, {"events", written}}.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
