//===--- SarifLimit.h - GitHub's results limit for SARIF --------*- C++ -*-===//

#ifndef COROLINT_DRIVER_SARIFLIMIT_H
#define COROLINT_DRIVER_SARIFLIMIT_H

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace corolint {

/// Keeps at most \p Limit of \p Results (SARIF result objects, a JSON array
/// or a vector of them): the most severe first (error, warning, anything
/// else), each level in report order. Returns how many were left out.
template <class Container>
size_t keepMostSevere(Container &Results, size_t Limit) {
  if (Results.size() <= Limit)
    return 0;
  std::vector<int> Severity;
  for (const auto &Result : Results) {
    auto Level = Result.find("level");
    std::string Text = Level != Result.end() && Level->is_string()
                           ? Level->template get<std::string>()
                           : std::string();
    Severity.push_back(Text == "error" ? 0 : Text == "warning" ? 1 : 2);
  }
  // An empty container of the same kind (for JSON: an array, not null).
  Container Kept(Results.begin(), Results.begin());
  for (int Level = 0; Level <= 2; ++Level)
    for (size_t I = 0; I < Severity.size(); ++I)
      if (Severity[I] == Level && Kept.size() < Limit)
        Kept.push_back(std::move(Results[I]));
  size_t Dropped = Results.size() - Kept.size();
  Results = std::move(Kept);
  return Dropped;
}

} // namespace corolint

#endif
