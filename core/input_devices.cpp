#include "core/input_devices.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/input.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <string_view>
#include <vector>

#include "bpf/keyhold.h"

#include "util/log.h"

namespace gamesched {
namespace {

bool is_event_node(const std::string& name) {
    return name.rfind("event", 0) == 0;
}

bool any_key_down(const libevdev* dev) {
    for (unsigned code = 0; code <= KEY_MAX; ++code) {
        if (libevdev_get_event_value(dev, EV_KEY, code) != 0) return true;
    }
    return false;
}

uint64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

std::optional<gs_input_class> classify_input_device(const libevdev* dev) {
    auto key = [dev](unsigned code) { return libevdev_has_event_code(dev, EV_KEY, code) != 0; };
    auto rel = [dev](unsigned code) { return libevdev_has_event_code(dev, EV_REL, code) != 0; };
    auto abs = [dev](unsigned code) { return libevdev_has_event_code(dev, EV_ABS, code) != 0; };
    if (key(BTN_SOUTH) || key(BTN_EAST) || ((key(BTN_TRIGGER) || key(BTN_THUMB)) && abs(ABS_X))) {
        return GS_INPUT_GAMEPAD;
    }
    if ((rel(REL_X) && rel(REL_Y) && key(BTN_LEFT)) || (abs(ABS_X) && key(BTN_TOOL_FINGER))) {
        return GS_INPUT_MOUSE;
    }
    if (key(KEY_A) && key(KEY_Z) && key(KEY_SPACE) && key(KEY_ENTER)) return GS_INPUT_KEYBOARD;
    return std::nullopt;
}

const char* input_class_name(gs_input_class cls) {
    switch (cls) {
        case GS_INPUT_KEYBOARD:
            return "keyboard";
        case GS_INPUT_MOUSE:
            return "mouse";
        case GS_INPUT_GAMEPAD:
            return "gamepad";
        default:
            return "unknown";
    }
}

Result<std::unique_ptr<InputDevices>> InputDevices::create(EventLoop& loop, SchedulerState& state,
                                                           std::string dir) {
    UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!inotify) return Error::from_errno("inotify_init1");
    if (inotify_add_watch(inotify.get(), dir.c_str(), IN_CREATE | IN_ATTRIB | IN_DELETE | IN_MOVED_TO) < 0) {
        // No /dev/input (a server, a container): no input boost, but the scheduler still works.
        spdlog::warn("cannot watch {} ({}); input boost stays off until restart", dir, std::strerror(errno));
    }
    std::unique_ptr<InputDevices> self(new InputDevices(loop, state, std::move(dir), std::move(inotify)));
    if (auto st = loop.add(self->inotify_.get(), [raw = self.get()] { raw->on_inotify(); }); !st)
        return st.error();
    self->scan();
    return self;
}

InputDevices::InputDevices(EventLoop& loop, SchedulerState& state, std::string dir, UniqueFd inotify)
    : loop_(loop), state_(state), dir_(std::move(dir)), inotify_(std::move(inotify)) {}

InputDevices::~InputDevices() {
    for (auto& [name, dev] : devices_) poll_device(name, dev, false);
    loop_.remove(inotify_.get());
}

void InputDevices::scan() {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(dir_.c_str()), closedir);
    if (!dir) return;
    while (dirent* e = readdir(dir.get())) {
        if (is_event_node(e->d_name)) add(e->d_name);
    }
}

// uinput devices hang below /sys/devices/virtual; physical ones below their bus. Only for the
// real /dev/input: a test directory has no sysfs behind it.
bool InputDevices::is_virtual(const std::string& name) const {
    if (dir_ != "/dev/input") return false;
    char target[PATH_MAX];
    const std::string link = "/sys/class/input/" + name;
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0) return false;
    return std::string_view(target, static_cast<size_t>(n)).find("/devices/virtual/") !=
           std::string_view::npos;
}

bool InputDevices::over_cap(const std::string& name, bool virtual_device) {
    const auto virtual_count = static_cast<size_t>(std::count_if(
        devices_.begin(), devices_.end(), [](const auto& entry) { return entry.second.is_virtual; }));
    const bool over =
        devices_.size() >= kMaxDevices || (virtual_device && virtual_count >= kMaxVirtualDevices);
    if (!over) return false;
    ++skipped_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_cap_warning_ >= std::chrono::seconds(10)) {  // a uinput flood logs one line
        last_cap_warning_ = now;
        spdlog::warn(
            "input device {} not used: {} devices listed ({} virtual), the cap is {} ({} virtual); {} "
            "left out so far",
            name, devices_.size(), virtual_count, kMaxDevices, kMaxVirtualDevices, skipped_);
    }
    return true;
}

void InputDevices::add(const std::string& name) {
    if (devices_.count(name)) return;
    const bool virtual_device = is_virtual(name);
    if (over_cap(name, virtual_device)) return;
    std::string path = dir_ + "/" + name;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        spdlog::debug("cannot open {}: {}", path, std::strerror(errno));
        return;
    }
    libevdev* raw = nullptr;
    if (libevdev_new_from_fd(fd.get(), &raw) != 0) return;
    LibevdevPtr evdev(raw);
    auto cls = classify_input_device(evdev.get());
    if (!cls) return;
    uint64_t key = gs_input_key(static_cast<u16>(libevdev_get_id_bustype(evdev.get())),
                                static_cast<u16>(libevdev_get_id_vendor(evdev.get())),
                                static_cast<u16>(libevdev_get_id_product(evdev.get())),
                                static_cast<u16>(libevdev_get_id_version(evdev.get())));
    spdlog::info("input device {} ({:04x}:{:04x} \"{}\") is a {}", name, libevdev_get_id_vendor(evdev.get()),
                 libevdev_get_id_product(evdev.get()), printable(libevdev_get_name(evdev.get())),
                 input_class_name(*cls));
    if (auto st = state_.set_input_device(key, *cls); !st) spdlog::warn("{}", st.error().message);
    auto& dev = devices_[name] = Device{std::move(fd), std::move(evdev), *cls, key, virtual_device};
    if (input_state_fd_ >= 0) poll_device(name, dev, true);
}

void InputDevices::remove(const std::string& name) {
    auto it = devices_.find(name);
    if (it == devices_.end()) return;
    poll_device(name, it->second, false);
    uint64_t key = it->second.key;
    devices_.erase(it);
    const bool key_still_listed = std::any_of(devices_.begin(), devices_.end(),
                                              [key](const auto& entry) { return entry.second.key == key; });
    if (!key_still_listed) (void)state_.remove_input_device(key);  // else another node of it remains
    spdlog::info("input device {} removed", name);
    if (skipped_ > 0) {  // a slot is free: take a device a cap left out
        skipped_ = 0;
        scan();
    }
}

void InputDevices::on_inotify() {
    alignas(inotify_event) std::array<char, 4096> buf{};
    for (;;) {
        ssize_t n = ::read(inotify_.get(), buf.data(), buf.size());
        if (n <= 0) return;
        for (ssize_t off = 0; off < n;) {
            auto* ev = reinterpret_cast<inotify_event*>(buf.data() + off);
            std::string name = ev->len ? ev->name : "";
            if (is_event_node(name)) {
                if (ev->mask & IN_DELETE)
                    remove(name);
                else
                    add(name);
            }
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
}

void InputDevices::set_userspace_path(int input_state_map_fd) {
    input_state_fd_ = input_state_map_fd;
    for (auto& [name, dev] : devices_) poll_device(name, dev, input_state_fd_ >= 0);
    if (input_state_fd_ >= 0) spdlog::info("input boost: userspace path over {} devices", devices_.size());
}

void InputDevices::poll_device(const std::string& name, Device& dev, bool on) {
    if (on == dev.polled) return;
    if (on) {
        if (auto st = loop_.add(dev.fd.get(), [this, name] { on_device_readable(name); }); !st) return;
    } else {
        loop_.remove(dev.fd.get());
    }
    dev.polled = on;
}

// The fallback path: the same effect as the in-kernel program, one event loop turn later,
// key-hold included (bpf/keyhold.h). Autorepeat is left out, as the in-kernel hook never sees it.
void InputDevices::on_device_readable(const std::string& name) {
    auto it = devices_.find(name);
    if (it == devices_.end()) return;
    Device& dev = it->second;
    bool activity = false;
    struct KeyChange {
        int value;
        bool still_down;
    };
    std::vector<KeyChange> keys;
    input_event ev{};
    int rc;
    while ((rc = libevdev_next_event(dev.evdev.get(), LIBEVDEV_READ_FLAG_NORMAL, &ev)) >= 0) {
        if (rc == LIBEVDEV_READ_STATUS_SYNC) continue;
        if (ev.type == EV_KEY && ev.value != GS_KEY_REPEAT) {
            // libevdev has applied the event: its state says what is still down after it.
            keys.push_back({ev.value, any_key_down(dev.evdev.get())});
        } else if (ev.type == EV_REL || ev.type == EV_ABS) {
            activity = true;
        }
    }
    if (rc == -ENODEV) {
        remove(name);
        return;
    }
    if ((!activity && keys.empty()) || input_state_fd_ < 0) return;
    uint32_t zero = 0;
    gs_input_state st{};
    if (bpf_map_lookup_elem(input_state_fd_, &zero, &st) != 0) return;
    uint64_t now = monotonic_ns(), window = state_.tunables().input_window_ns[dev.cls];
    uint64_t& end = st.window_end_ns[dev.cls];
    st.last_event_ns[dev.cls] = now;
    if (activity && window) end = std::max<uint64_t>(end, now + window);
    for (const KeyChange& change : keys) {
        const bool holder = key_holder_[dev.cls] == dev.key;
        end = gs_key_window_end(end, now, window, GS_KEY_HOLD_MAX_NS, change.value, holder ? 1 : 0,
                                change.still_down ? 1 : 0);
        if (change.value == GS_KEY_PRESS) {
            key_holder_[dev.cls] = dev.key;
        } else if (holder && !change.still_down) {
            key_holder_[dev.cls] = 0;
        }
    }
    bpf_map_update_elem(input_state_fd_, &zero, &st, BPF_ANY);
}

}  // namespace gamesched
