// A small Gaussian-process regressor for the autotuner: a handful of dimensions, tens of noisy
// observations. Matérn-5/2 kernel with one length scale per dimension (so a tunable that does
// not matter is learned to be flat) and a noise term; hyper-parameters by maximum marginal
// likelihood over a grid (cheap at this size, and it never diverges the way gradient fits can).
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace gamesched::ml {

using Point = std::vector<double>;  // in the unit cube [0,1]^d

struct Prediction {
    double mean = 0;
    double stddev = 0;
};

class GaussianProcess {
public:
    // Fits to observations (points in [0,1]^d, values any scale). Needs at least one point.
    void fit(const std::vector<Point>& points, const std::vector<double>& values);

    // Posterior of the underlying function (without observation noise), in the values' scale.
    [[nodiscard]] Prediction predict(const Point& x) const;

    [[nodiscard]] const std::vector<double>& length_scales() const { return length_scales_; }
    [[nodiscard]] double noise_variance() const { return noise_; }

private:
    [[nodiscard]] double kernel(const Point& a, const Point& b) const;
    // Cholesky factor and weights for the current hyper-parameters; log marginal likelihood.
    double factorize();

    std::vector<Point> points_;
    Eigen::VectorXd y_;  // standardised values
    double y_mean_ = 0, y_scale_ = 1;
    std::vector<double> length_scales_;
    double noise_ = 1e-2;  // relative to the standardised signal variance of 1
    Eigen::LLT<Eigen::MatrixXd> llt_;
    Eigen::VectorXd alpha_;
};

}  // namespace gamesched::ml
