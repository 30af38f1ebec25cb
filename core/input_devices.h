// Finds keyboards, mice and gamepads under /dev/input, whatever their vendor, follows hotplug,
// and keeps the scheduler's input allow-list current. Where the in-kernel input program cannot
// attach, it also reads the devices and opens the boost windows from userspace.
#pragma once

#include <libevdev/libevdev.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bpf/intf.h"
#include "core/event_loop.h"
#include "core/scheduler_state.h"
#include "util/result.h"
#include "util/unique_fd.h"

namespace gamesched {

struct LibevdevDeleter {
    void operator()(libevdev* dev) const { libevdev_free(dev); }
};
using LibevdevPtr = std::unique_ptr<libevdev, LibevdevDeleter>;

// Classifies by capabilities, never by vendor: gamepad buttons, relative pointer axes with a
// left button (or a touchpad), letter keys. Power buttons, lid switches and the like: nullopt.
std::optional<gs_input_class> classify_input_device(const libevdev* dev);
const char* input_class_name(gs_input_class cls);

class InputDevices {
public:
    // dir is /dev/input; tests may pass another directory.
    static Result<std::unique_ptr<InputDevices>> create(EventLoop& loop, SchedulerState& state,
                                                        std::string dir = "/dev/input");
    ~InputDevices();
    InputDevices(const InputDevices&) = delete;
    InputDevices& operator=(const InputDevices&) = delete;

    // Userspace path on/off: reads every listed device and writes input_state through this fd
    // (-1 turns the path off).
    void set_userspace_path(int input_state_map_fd);
    [[nodiscard]] size_t device_count() const { return devices_.size(); }

private:
    struct Device {
        UniqueFd fd;
        LibevdevPtr evdev;
        gs_input_class cls;
        uint64_t key;
        bool polled = false;
    };

    InputDevices(EventLoop& loop, SchedulerState& state, std::string dir, UniqueFd inotify);
    void scan();
    void add(const std::string& name);
    void remove(const std::string& name);
    void on_inotify();
    void on_device_readable(const std::string& name);
    void poll_device(const std::string& name, Device& dev, bool on);

    EventLoop& loop_;
    SchedulerState& state_;
    std::string dir_;
    UniqueFd inotify_;
    std::map<std::string, Device> devices_;  // by node name, e.g. "event3"
    int input_state_fd_ = -1;
    // Per class: the device (its input key) whose press holds the window open, as key_holder in
    // bpf/keyhold.bpf.h.
    std::array<uint64_t, GS_NR_INPUT_CLASSES> key_holder_{};
};

}  // namespace gamesched
