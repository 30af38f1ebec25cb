// Finds keyboards, mice and gamepads under /dev/input, whatever their vendor, follows hotplug,
// and keeps the scheduler's input allow-list current. Where the in-kernel input program cannot
// attach, it also reads the devices and opens the boost windows from userspace.
#pragma once

#include <libevdev/libevdev.h>

#include <array>
#include <chrono>
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
    // Bounds on what plugged-in (or uinput-made) devices can make the core hold: open device fds
    // and allow-list entries. Virtual devices (uinput: Steam Input, remapping tools, anyone with
    // access to /dev/uinput) have a smaller share, so they can never crowd out physical ones.
    // Past a cap a device is not opened and not listed; a slot that frees up is refilled by a
    // rescan.
    static constexpr std::size_t kMaxDevices = 32;
    static constexpr std::size_t kMaxVirtualDevices = 8;
    static_assert(kMaxDevices <= GS_MAX_INPUT_DEVICES, "every listed device fits the allow-list map");

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
    [[nodiscard]] size_t skipped_count() const { return skipped_; }

private:
    struct Device {
        UniqueFd fd;
        LibevdevPtr evdev;
        gs_input_class cls;
        uint64_t key;
        bool is_virtual = false;
        bool polled = false;
    };

    InputDevices(EventLoop& loop, SchedulerState& state, std::string dir, UniqueFd inotify);
    void scan();
    void add(const std::string& name);
    [[nodiscard]] bool is_virtual(const std::string& name) const;
    [[nodiscard]] bool over_cap(const std::string& name, bool virtual_device);
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
    std::size_t skipped_ = 0;  // devices left out by a cap since the last rescan
    std::chrono::steady_clock::time_point last_cap_warning_{};
};

}  // namespace gamesched
