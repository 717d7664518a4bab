// Coefficients from the final grade or the total. See evaluate.hpp.
#include "eval/evaluate.hpp"

namespace kaohe::eval {

std::vector<CoefficientAt> coefficients(const ir::Program& program, const Number& total, const std::string* grade) {
    std::vector<CoefficientAt> out;
    for (std::size_t c = 0; c < program.coefficients.size(); ++c) {
        const ir::Coefficient& co = program.coefficients[c];
        for (std::size_t e = 0; e < co.entries.size(); ++e) {
            const ir::CoefficientEntry& entry = co.entries[e];
            const bool otherwise = co.by_grade ? entry.grade.empty() : !entry.at_least;
            const bool hit = otherwise || (co.by_grade ? grade && *grade == entry.grade : total >= *entry.at_least);
            if (hit) {
                out.push_back({c, e});
                break;
            }
        }
    }
    return out;
}

}  // namespace kaohe::eval
