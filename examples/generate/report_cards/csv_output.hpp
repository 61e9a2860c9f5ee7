// The five files the generator writes, each into a buffer, and the buffer to disk. The rows come
// in the order the file has them (main.cpp sorts them).

#pragma once

#include "model.hpp"

#include <filesystem>
#include <vector>

namespace report_cards {

// gias.csv: GIAS edubasealldata extract, Windows-1252, CRLF, many extra columns.
void write_gias(Buffer& out, const std::vector<const School*>& rows);

// ofsted.csv: Ofsted management information, UTF-8 with BOM, CRLF, NULL in empty cells.
void write_ofsted(Buffer& out, const std::vector<const School*>& rows);

// ks2.csv: KS2 performance tables, RECTYPE 1 schools, 4 after each LA's schools, 5 national last.
// The companion measures are drawn from rng, after every school is made.
void write_ks2(Buffer& out, Rng& rng, const std::vector<const School*>& rows);

// la.csv: the LA's own records (urn,last_visit,governance_breakdown).
void write_la(Buffer& out, const std::vector<const School*>& rows);

// overrides.csv: adviser overrides (urn,level,reason,agreed_by,until).
void write_overrides(Buffer& out, const std::vector<Override>& overrides);

// False when the file cannot be written whole.
bool write_file(const std::filesystem::path& path, const Buffer& b);

}  // namespace report_cards
