// A whole file as text ("" if it cannot be read), for comparing script copies.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace gamesched::testing {

inline std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace gamesched::testing
