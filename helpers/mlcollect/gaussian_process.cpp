#include "helpers/mlcollect/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gamesched::ml {
namespace {

constexpr double kSqrt5 = 2.23606797749979;
// Grids the hyper-parameters are chosen from. Length scales are in unit-cube units: 0.05 is a
// sharp feature, 5 a dimension that barely matters. Noise is relative to the signal variance.
constexpr double kLengthGrid[] = {0.05, 0.1, 0.2, 0.35, 0.6, 1.0, 2.0, 5.0};
constexpr double kNoiseGrid[] = {1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.15, 0.4};
constexpr double kInitialLength = 0.35;
constexpr int kCoordinatePasses = 2;

// A weak log-normal prior around 0.5 keeps a length scale from collapsing onto the few points
// seen so far (a GP that interpolates noise explores badly).
double length_prior(double length) {
    const double z = std::log(length / 0.5) / 1.5;
    return -0.5 * z * z;
}

}  // namespace

double GaussianProcess::kernel(const Point& a, const Point& b) const {
    double r2 = 0;
    for (size_t k = 0; k < a.size(); ++k) {
        const double d = (a[k] - b[k]) / length_scales_[k];
        r2 += d * d;
    }
    const double r = std::sqrt(r2);
    return (1 + kSqrt5 * r + 5.0 / 3.0 * r2) * std::exp(-kSqrt5 * r);
}

double GaussianProcess::factorize() {
    const auto n = static_cast<Eigen::Index>(points_.size());
    Eigen::MatrixXd k(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j <= i; ++j) {
            const double v = kernel(points_[static_cast<size_t>(i)], points_[static_cast<size_t>(j)]);
            k(i, j) = v;
            k(j, i) = v;
        }
        k(i, i) += noise_ + 1e-9;
    }
    llt_.compute(k);
    if (llt_.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
    alpha_ = llt_.solve(y_);
    const Eigen::MatrixXd l = llt_.matrixL();
    const double log_det = 2 * l.diagonal().array().log().sum();
    return -0.5 * y_.dot(alpha_) - 0.5 * log_det;
}

void GaussianProcess::fit(const std::vector<Point>& points, const std::vector<double>& values) {
    points_ = points;
    const auto n = static_cast<Eigen::Index>(values.size());
    y_mean_ = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
    double var = 0;
    for (double v : values) var += (v - y_mean_) * (v - y_mean_);
    y_scale_ = n > 1 ? std::sqrt(var / static_cast<double>(n - 1)) : 1.0;
    if (!(y_scale_ > 1e-12)) y_scale_ = 1.0;
    y_.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) y_(i) = (values[static_cast<size_t>(i)] - y_mean_) / y_scale_;

    const size_t dims = points.front().size();
    length_scales_.assign(dims, kInitialLength);
    auto score = [&] {
        double s = factorize();
        for (double l : length_scales_) s += length_prior(l);
        return s;
    };
    // Coordinate ascent: noise, then each length scale in turn, over their grids.
    for (int pass = 0; pass < kCoordinatePasses; ++pass) {
        double best_noise = noise_, best = -std::numeric_limits<double>::infinity();
        for (double noise : kNoiseGrid) {
            noise_ = noise;
            if (const double s = score(); s > best) best = s, best_noise = noise;
        }
        noise_ = best_noise;
        for (size_t k = 0; k < dims; ++k) {
            double best_length = length_scales_[k];
            best = -std::numeric_limits<double>::infinity();
            for (double length : kLengthGrid) {
                length_scales_[k] = length;
                if (const double s = score(); s > best) best = s, best_length = length;
            }
            length_scales_[k] = best_length;
        }
    }
    factorize();
}

Prediction GaussianProcess::predict(const Point& x) const {
    const auto n = static_cast<Eigen::Index>(points_.size());
    Eigen::VectorXd k_star(n);
    for (Eigen::Index i = 0; i < n; ++i) k_star(i) = kernel(points_[static_cast<size_t>(i)], x);
    const double mean = k_star.dot(alpha_);
    const Eigen::VectorXd v = llt_.matrixL().solve(k_star);
    const double var = std::max(1.0 - v.squaredNorm(), 1e-12);
    return {y_mean_ + mean * y_scale_, std::sqrt(var) * y_scale_};
}

}  // namespace gamesched::ml
