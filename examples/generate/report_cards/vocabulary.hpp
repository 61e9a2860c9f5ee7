// The words school, trust and street names are made of. UTF-8 here; gias.csv is transcoded to
// Windows-1252 on output (cp1252.hpp), so the curly apostrophes and accents become single bytes
// there.

#pragma once

#include <array>
#include <string_view>

namespace report_cards {

inline constexpr std::array<std::string_view, 48> kEnglishPlaces = {
    "Ashby",      "Brampton",  "Chesterton", "Denton",      "Elmswell",   "Fairfield",
    "Greenhill",  "Hartley",   "Ickleton",   "Kingsbury",   "Langley",    "Milford",
    "Norton",     "Oakwood",   "Preston",    "Queensbury",  "Redhill",    "Southfield",
    "Thornton",   "Upton",     "Westbury",   "Whitley",     "Ashfield",   "Bramley",
    "Cranbrook",  "Darley",    "Eastbrook",  "Fernhill",    "Grange",     "Highfield",
    "Kingsmead",  "Lakeside",  "Meadowside", "Northgate",   "Oldfield",   "Parkside",
    "Riverside",  "Sandhurst", "Stoneleigh", "Summerfield", "Thorpe",     "Underwood",
    "Valley End", "Woodlands", "Brookfield", "Castle Hill", "Church End", "Heathfield"};

// Curly and straight apostrophes both occur in GIAS names; the curly one is byte 0x92 there.
inline constexpr std::array<std::string_view, 14> kSaints = {
    "St Mary’s",      "St John's",     "St Botolph’s", "St Michael's", "St Augustine’s",
    "St Thomas More", "St Peter’s",    "St Andrew's",  "All Saints’",  "St Kyneburgha’s",
    "Holy Trinity",   "St Margaret’s", "St Oswald's",  "Christ Church"};

inline constexpr std::array<std::string_view, 20> kWelshPlaces = {
    "Bro Dinefwr",  "Bro Tâf",     "Lôn Las",        "Pen-y-Bryn",   "Maes y Gwendraeth",
    "Dyffryn Aman", "Llandeilo",   "Cwm Gwendraeth", "Gwenllian",    "Rhydaman",
    "Caerfyrddin",  "Llanelli",    "Penygroes",      "Pontyberem",   "Mynydd-y-Garreg",
    "Glan-y-Môr",   "Bro Myrddin", "Brynsierfel",    "Llanymddyfri", "Teilo Sant"};

inline constexpr std::array<std::string_view, 8> kPeterboroughTrusts = {
    "Nene Valley Learning Trust",
    "The Fens, Nene and Welland Academy Trust",  // a comma: quoted in every file
    "St Kyneburgha’s Catholic Multi Academy Trust",
    "Medeshamstede Learning Partnership",
    "Castor Gate Education Trust",
    "Soke Federation of Schools Trust",
    "Eye and Thorney Schools Trust",
    "Cathedral Close Church of England Academy Trust"};

inline constexpr std::array<std::string_view, 6> kTrustSuffixes = {
    "Learning Trust",      "Academy Trust",       "Education Trust",
    "Multi Academy Trust", "Schools Partnership", "Catholic Academy Trust"};

inline constexpr std::array<std::string_view, 12> kStreets = {
    "School Road", "Church Lane", "High Street",   "Park Avenue", "Mill Lane", "Station Road",
    "London Road", "Green Lane",  "Chapel Street", "Manor Way",   "The Green", "Broadway"};

}  // namespace report_cards
