#include "helpers/detect/condition.h"

#include <fnmatch.h>

#include "helpers/detect/facts.h"

namespace gamesched::detect {
namespace {

Truth from_bool(bool value) {
    return value ? Truth::yes : Truth::no;
}

bool any_glob(const std::vector<std::string>& patterns, const std::string& text) {
    for (const auto& pattern : patterns) {
        if (glob_match(pattern, text)) return true;
    }
    return false;
}

class GlobCondition final : public Condition {
public:
    GlobCondition(Field field, std::vector<std::string> patterns)
        : field_(field), patterns_(std::move(patterns)) {}

    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        if (p == nullptr) return Truth::no;
        switch (field_) {
            case Field::comm:
                return from_bool(any_glob(patterns_, p->comm));
            case Field::exe:
                if (p->exe_path.empty()) return Truth::unknown;
                return from_bool(any_glob(patterns_, p->exe_name));
            case Field::name: {
                if (any_glob(patterns_, p->comm)) return Truth::yes;
                const std::string wine = p->wine_program();
                if (!wine.empty() && any_glob(patterns_, wine)) return Truth::yes;
                if (p->exe_path.empty()) return Truth::unknown;
                return from_bool(any_glob(patterns_, p->exe_name));
            }
            case Field::wine_program: {
                const std::string wine = p->wine_program();
                return from_bool(!wine.empty() && any_glob(patterns_, wine));
            }
            case Field::arg:
                for (const auto& arg : p->args) {
                    if (any_glob(patterns_, arg)) return Truth::yes;
                }
                return Truth::no;
            case Field::cgroup:
                return from_bool(any_glob(patterns_, p->cgroup));
        }
        return Truth::no;
    }

private:
    Field field_;
    std::vector<std::string> patterns_;
};

class EnvCondition final : public Condition {
public:
    explicit EnvCondition(std::vector<std::pair<std::string, std::string>> vars) : vars_(std::move(vars)) {}

    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        if (p == nullptr) return Truth::no;
        if (!p->environ) return Truth::unknown;
        for (const auto& [name, pattern] : vars_) {
            const std::string* value = p->env(name);
            if (value == nullptr || !glob_match(pattern, *value)) return Truth::no;
        }
        return Truth::yes;
    }

private:
    std::vector<std::pair<std::string, std::string>> vars_;
};

class ThreadsAtLeast final : public Condition {
public:
    explicit ThreadsAtLeast(int count) : count_(count) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        return from_bool(p != nullptr && p->threads >= count_);
    }

private:
    int count_;
};

class UsesGpu final : public Condition {
public:
    explicit UsesGpu(bool expected) : expected_(expected) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        if (p == nullptr) return Truth::no;
        if (!p->gpu_fds) return Truth::unknown;
        return from_bool((*p->gpu_fds > 0) == expected_);
    }

private:
    bool expected_;
};

class GameModeRegistered final : public Condition {
public:
    explicit GameModeRegistered(bool expected) : expected_(expected) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        return from_bool(p != nullptr && ctx.gamemode_registered(p->pid) == expected_);
    }

private:
    bool expected_;
};

class HasSteamAppId final : public Condition {
public:
    explicit HasSteamAppId(bool expected) : expected_(expected) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        if (p == nullptr) return Truth::no;
        const bool found = steam_app_id(ctx, level).has_value();
        // Without the environment an absent id is not proven absent.
        if (!found && !p->environ) return Truth::unknown;
        return from_bool(found == expected_);
    }

private:
    bool expected_;
};

class MangoHud final : public Condition {
public:
    explicit MangoHud(bool expected) : expected_(expected) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const ProcessInfo* p = ctx.at(level);
        if (p == nullptr) return Truth::no;
        const std::optional<bool> present = mangohud_present(*p);
        if (!present) return Truth::unknown;
        return from_bool(*present == expected_);
    }

private:
    bool expected_;
};

class Relative final : public Condition {
public:
    Relative(ConditionPtr inner, bool any_ancestor) : inner_(std::move(inner)), any_ancestor_(any_ancestor) {}

    Truth eval(MatchContext& ctx, std::size_t level) const override {
        if (!any_ancestor_) return ctx.at(level + 1) ? inner_->eval(ctx, level + 1) : Truth::no;
        Truth result = Truth::no;
        for (std::size_t up = level + 1; ctx.at(up) != nullptr; ++up) {
            const Truth t = inner_->eval(ctx, up);
            if (t == Truth::yes) return Truth::yes;
            if (t == Truth::unknown) result = Truth::unknown;
        }
        return result;
    }

private:
    ConditionPtr inner_;
    bool any_ancestor_;
};

class Junction final : public Condition {
public:
    Junction(std::vector<ConditionPtr> terms, bool all) : terms_(std::move(terms)), all_(all) {}

    // Kleene logic: a decisive term (no for all, yes for any) wins over unknown.
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        const Truth decisive = all_ ? Truth::no : Truth::yes;
        bool saw_unknown = false;
        for (const auto& term : terms_) {
            const Truth t = term->eval(ctx, level);
            if (t == decisive) return decisive;
            if (t == Truth::unknown) saw_unknown = true;
        }
        if (saw_unknown) return Truth::unknown;
        return all_ ? Truth::yes : Truth::no;
    }

private:
    std::vector<ConditionPtr> terms_;
    bool all_;
};

class Negation final : public Condition {
public:
    explicit Negation(ConditionPtr inner) : inner_(std::move(inner)) {}
    Truth eval(MatchContext& ctx, std::size_t level) const override {
        switch (inner_->eval(ctx, level)) {
            case Truth::yes:
                return Truth::no;
            case Truth::no:
                return Truth::yes;
            case Truth::unknown:
                return Truth::unknown;
        }
        return Truth::unknown;
    }

private:
    ConditionPtr inner_;
};

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), FNM_NOESCAPE | FNM_CASEFOLD) == 0;
}

ConditionPtr make_glob_condition(Field field, std::vector<std::string> patterns) {
    return std::make_unique<GlobCondition>(field, std::move(patterns));
}
ConditionPtr make_env_condition(std::vector<std::pair<std::string, std::string>> vars) {
    return std::make_unique<EnvCondition>(std::move(vars));
}
ConditionPtr make_threads_at_least(int count) {
    return std::make_unique<ThreadsAtLeast>(count);
}
ConditionPtr make_uses_gpu(bool expected) {
    return std::make_unique<UsesGpu>(expected);
}
ConditionPtr make_gamemode_registered(bool expected) {
    return std::make_unique<GameModeRegistered>(expected);
}
ConditionPtr make_has_steam_app_id(bool expected) {
    return std::make_unique<HasSteamAppId>(expected);
}
ConditionPtr make_mangohud(bool expected) {
    return std::make_unique<MangoHud>(expected);
}
ConditionPtr make_parent(ConditionPtr inner) {
    return std::make_unique<Relative>(std::move(inner), false);
}
ConditionPtr make_ancestor(ConditionPtr inner) {
    return std::make_unique<Relative>(std::move(inner), true);
}
ConditionPtr make_all(std::vector<ConditionPtr> terms) {
    return std::make_unique<Junction>(std::move(terms), true);
}
ConditionPtr make_any(std::vector<ConditionPtr> terms) {
    return std::make_unique<Junction>(std::move(terms), false);
}
ConditionPtr make_not(ConditionPtr inner) {
    return std::make_unique<Negation>(std::move(inner));
}

}  // namespace gamesched::detect
