// The person rule through the real sd-login: on this host no uid has a logind session, so with
// the rule on (logind_state pointed at a directory that exists) every non-root uid is refused,
// exactly as a service account is on a system with logind; with logind absent the rule is off.
#include "core/server/people.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using Catch::Matchers::ContainsSubstring;
using gamesched::server::People;

TEST_CASE("without logind every uid counts as a person") {
    const People people("/nonexistent/gamesched-test/seat0");
    CHECK_FALSE(people.logind_running());
    CHECK(people.may_hold_games(1000).ok());
    CHECK(people.may_take_focus(1000).ok());
}

TEST_CASE("with logind, a uid without a seat session is refused, saying why") {
    const People people("/");  // "running": sd-login answers from the real /run/systemd/users
    REQUIRE(people.logind_running());
    const auto games = people.may_hold_games(64999);
    REQUIRE_FALSE(games.ok());
    CHECK(games.error().code == EACCES);
    CHECK_THAT(games.error().message, ContainsSubstring("uid 64999 has no login session on a seat"));
    const auto focus = people.may_take_focus(64999);
    REQUIRE_FALSE(focus.ok());
    CHECK_THAT(focus.error().message, ContainsSubstring("not the active session on a seat"));
}

TEST_CASE("root is never refused") {
    const People people("/");
    CHECK(people.may_hold_games(0).ok());
    CHECK(people.may_take_focus(0).ok());
}

#include "core/server/fair_share.h"

using gamesched::server::game_share;

TEST_CASE("the game table is shared: a share for one more user always stays free") {
    constexpr std::size_t table = 64, per_owner = 16;
    CHECK(game_share(table, per_owner, 1) == 16);  // alone: the per-user limit
    CHECK(game_share(table, per_owner, 3) == 16);
    CHECK(game_share(table, per_owner, 4) == 12);
    CHECK(game_share(table, per_owner, 5) == 10);
    CHECK(game_share(table, per_owner, 100) == 1);  // never zero for someone with none
    // Four users filling the table in turn leave slots for a fifth.
    std::size_t used = 0;
    for (std::size_t user = 1; user <= 4; ++user) used += game_share(table, per_owner, user);
    CHECK(used < table);
}
