#include "capsim/io/results_reader.hpp"

#include <hdf5.h>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/util/error.hpp"

namespace capsim::io {
namespace {

Handle open_object(hid_t file, const std::string& path) {
    const hid_t id = H5Oopen(file, path.c_str(), H5P_DEFAULT);
    if (id < 0) throw IoError("results file has no '" + path + "'");
    const H5I_type_t type = H5Iget_type(id);
    return Handle(id, type == H5I_GROUP ? Handle::Kind::group : Handle::Kind::dataset);
}

} // namespace

ResultsReader::ResultsReader(const std::string& path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    File::check_readable(path);
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw IoError("cannot open '" + path + "'");
    file_ = Handle(id, Handle::Kind::file);
}

bool ResultsReader::has(const std::string& path) const {
    return H5Lexists(static_cast<hid_t>(file_.id()), path.c_str(), H5P_DEFAULT) > 0;
}

std::optional<double> ResultsReader::number_attribute(const std::string& object, const std::string& name) const {
    const hid_t file = static_cast<hid_t>(file_.id());
    if (H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
    Handle attribute(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), Handle::Kind::attribute);
    Handle type(H5Aget_type(static_cast<hid_t>(attribute.id())), Handle::Kind::datatype);
    const H5T_class_t type_class = H5Tget_class(static_cast<hid_t>(type.id()));
    if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) return std::nullopt;
    double value = 0;
    if (H5Aread(static_cast<hid_t>(attribute.id()), H5T_NATIVE_DOUBLE, &value) < 0) return std::nullopt;
    return value;
}

std::optional<std::string> ResultsReader::string_attribute(const std::string& object, const std::string& name) const {
    const hid_t file = static_cast<hid_t>(file_.id());
    if (H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
    Handle attribute(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), Handle::Kind::attribute);
    Handle type(H5Aget_type(static_cast<hid_t>(attribute.id())), Handle::Kind::datatype);
    if (H5Tget_class(static_cast<hid_t>(type.id())) != H5T_STRING || !H5Tis_variable_str(static_cast<hid_t>(type.id()))) {
        return std::nullopt;
    }
    // Read with the attribute's own type: HDF5 does not convert between ASCII and UTF-8 strings.
    char* text = nullptr;
    if (H5Aread(static_cast<hid_t>(attribute.id()), static_cast<hid_t>(type.id()), &text) < 0 || !text) return std::nullopt;
    std::string value(text);
    H5free_memory(text);
    return value;
}

std::vector<double> ResultsReader::doubles(const std::string& dataset) const {
    Handle d = open_object(static_cast<hid_t>(file_.id()), dataset);
    Handle space(H5Dget_space(static_cast<hid_t>(d.id())), Handle::Kind::dataspace);
    const hssize_t n = H5Sget_simple_extent_npoints(static_cast<hid_t>(space.id()));
    std::vector<double> values(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
    if (!values.empty() &&
        H5Dread(static_cast<hid_t>(d.id()), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
        throw IoError("cannot read '" + dataset + "'");
    }
    return values;
}

std::vector<std::string> ResultsReader::strings(const std::string& dataset) const {
    Handle d = open_object(static_cast<hid_t>(file_.id()), dataset);
    Handle space(H5Dget_space(static_cast<hid_t>(d.id())), Handle::Kind::dataspace);
    const hssize_t n = H5Sget_simple_extent_npoints(static_cast<hid_t>(space.id()));
    std::vector<char*> pointers(static_cast<std::size_t>(std::max<hssize_t>(n, 0)), nullptr);
    Handle memory(H5Dget_type(static_cast<hid_t>(d.id())), Handle::Kind::datatype);
    if (H5Tget_class(static_cast<hid_t>(memory.id())) != H5T_STRING || !H5Tis_variable_str(static_cast<hid_t>(memory.id()))) {
        throw IoError("'" + dataset + "' is not a list of strings");
    }
    if (!pointers.empty() &&
        H5Dread(static_cast<hid_t>(d.id()), static_cast<hid_t>(memory.id()), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0) {
        throw IoError("cannot read '" + dataset + "'");
    }
    std::vector<std::string> values;
    for (char* p : pointers) {
        values.emplace_back(p ? p : "");
        if (p) H5free_memory(p);
    }
    return values;
}

} // namespace capsim::io
