#include "core/sched_ext_sysfs.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace gamesched {
namespace {

Result<std::string> read_line(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error::from_errno("reading " + path);
    std::string line;
    std::getline(in, line);
    return line;
}

long long read_number_or_zero(const std::string& path) {
    auto text = read_line(path);
    if (!text) return 0;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

bool SchedExtSysfs::present() const {
    struct stat st {};
    return ::stat(root_.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<SchedExtState> SchedExtSysfs::read() const {
    auto state = read_line(root_ + "/state");
    if (!state) return state.error();
    SchedExtState out;
    out.state = *state;
    if (auto ops = read_line(root_ + "/root/ops")) out.ops = *ops;
    out.nr_rejected = read_number_or_zero(root_ + "/nr_rejected");
    out.hotplug_seq = read_number_or_zero(root_ + "/hotplug_seq");
    out.switch_all = read_number_or_zero(root_ + "/switch_all") != 0;
    return out;
}

Status SchedExtSysfs::check_can_attach() const {
    if (!present()) {
        return Error{ENOTSUP, "this kernel has no sched_ext (" + root_ +
                                  " is missing): boot a kernel built with CONFIG_SCHED_CLASS_EXT=y "
                                  "(Debian's 7.x kernels from trixie-backports have it), or try gamesched "
                                  "in the VM with ./run demo"};
    }
    auto st = read();
    if (!st) return st.error().context("cannot read the sched_ext state");
    if (st->state != "disabled") {
        std::string who = st->ops.empty() ? std::string("another scheduler") : "'" + st->ops + "'";
        return Error{EBUSY, "sched_ext is " + st->state + " with " + who +
                                " attached; stop it first (for instance systemctl stop scx.service "
                                "scx_loader.service), then start gamesched again"};
    }
    return Ok{};
}

}  // namespace gamesched
