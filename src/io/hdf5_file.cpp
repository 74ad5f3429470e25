#include "capsim/io/hdf5_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::io {
namespace {

static_assert(sizeof(hid) == sizeof(hid_t), "hid must hold an hid_t");

/// Appends each entry of HDF5's error stack to a string (walk callback).
herr_t collect_error(unsigned depth, const H5E_error2_t* entry, void* text) {
    auto& out = *static_cast<std::string*>(text);
    if (depth > 0) out += "; ";
    out += entry->func_name ? entry->func_name : "?";
    out += ": ";
    out += entry->desc ? entry->desc : "";
    return 0;
}

[[noreturn]] void fail(const std::string& what) {
    std::string stack;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &stack);
    H5Eclear2(H5E_DEFAULT);
    throw IoError("HDF5: " + what + (stack.empty() ? "" : " (" + stack + ")"));
}

hid_t check(hid_t id, const std::string& what) {
    if (id < 0) fail(what);
    return id;
}

void check_status(herr_t status, const std::string& what) {
    if (status < 0) fail(what);
}

/// HDF5 prints its error stack on stderr by default; capsim reports errors itself.
void silence_hdf5() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle scalar_space() { return Handle(check(H5Screate(H5S_SCALAR), "create scalar dataspace"), Handle::Kind::dataspace); }

void write_scalar_attribute(hid_t target, std::string_view name, hid_t file_type, hid_t memory_type,
                            const void* value) {
    const std::string key(name);
    if (H5Aexists(target, key.c_str()) > 0) check_status(H5Adelete(target, key.c_str()), "replace attribute");
    Handle space = scalar_space();
    Handle attribute(check(H5Acreate2(target, key.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                           "create attribute " + key),
                     Handle::Kind::attribute);
    check_status(H5Awrite(attribute.id(), memory_type, value), "write attribute");
}

Handle column_creation_properties(std::size_t length) {
    Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), Handle::Kind::property_list);
    // Chunks of up to 64 Ki values: large enough to compress well, small enough to read in part.
    const hsize_t chunk = static_cast<hsize_t>(std::clamp<std::size_t>(length, 1, 65536));
    check_status(H5Pset_chunk(properties.id(), 1, &chunk), "set chunk size");
    check_status(H5Pset_shuffle(properties.id()), "set shuffle filter");
    check_status(H5Pset_deflate(properties.id(), 4), "set deflate filter");
    return properties;
}

Dataset write_1d(hid_t group, std::string_view name, const void* data, std::size_t length, hid_t file_type,
                 hid_t memory_type) {
    const std::string key(name);
    const hsize_t dims = length;
    const hsize_t max_dims = H5S_UNLIMITED;
    Handle space(check(H5Screate_simple(1, &dims, &max_dims), "create dataspace"), Handle::Kind::dataspace);
    Handle properties = column_creation_properties(length);
    Handle dataset(check(H5Dcreate2(group, key.c_str(), file_type, space.id(), H5P_DEFAULT, properties.id(),
                                    H5P_DEFAULT),
                         "create dataset " + key),
                   Handle::Kind::dataset);
    if (length > 0) check_status(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset");
    return Dataset(std::move(dataset));
}

} // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (id_ >= 0) {
            try {
                close();
            } catch (...) {
            }
        }
        id_ = other.id_;
        kind_ = other.kind_;
        other.id_ = -1;
    }
    return *this;
}

Handle::~Handle() {
    if (id_ < 0) return;
    try {
        close();
    } catch (...) {
        // A destructor cannot report; callers that care call close() themselves.
    }
}

void Handle::close() {
    if (id_ < 0) return;
    const hid_t id = static_cast<hid_t>(id_);
    id_ = -1;
    herr_t status = 0;
    switch (kind_) {
    case Kind::file: status = H5Fclose(id); break;
    case Kind::group: status = H5Gclose(id); break;
    case Kind::dataset: status = H5Dclose(id); break;
    case Kind::dataspace: status = H5Sclose(id); break;
    case Kind::property_list: status = H5Pclose(id); break;
    case Kind::attribute: status = H5Aclose(id); break;
    case Kind::datatype: status = H5Tclose(id); break;
    }
    check_status(status, "close");
}

void AttributeTarget::set_attribute(std::string_view name, double value) const {
    write_scalar_attribute(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void AttributeTarget::set_attribute(std::string_view name, std::int64_t value) const {
    write_scalar_attribute(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void AttributeTarget::set_attribute(std::string_view name, std::span<const std::int64_t> values) const {
    const std::string key(name);
    if (H5Aexists(id(), key.c_str()) > 0) check_status(H5Adelete(id(), key.c_str()), "replace attribute");
    const hsize_t n = values.size();
    Handle space(check(H5Screate_simple(1, &n, nullptr), "create dataspace"), Handle::Kind::dataspace);
    Handle attribute(check(H5Acreate2(id(), key.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                           "create attribute " + key),
                     Handle::Kind::attribute);
    check_status(H5Awrite(attribute.id(), H5T_NATIVE_INT64, values.data()), "write attribute");
}

void AttributeTarget::set_attribute(std::string_view name, std::string_view value) const {
    // Variable-length UTF-8, so h5py and xarray read it as str, not bytes.
    Handle type(check(H5Tcopy(H5T_C_S1), "copy string type"), Handle::Kind::datatype);
    check_status(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    const std::string text(value);
    const char* pointer = text.c_str();
    write_scalar_attribute(id(), name, type.id(), type.id(), &pointer);
}

void Dataset::attach_dimension(const Dataset& scale, unsigned axis) const {
    check_status(H5DSattach_scale(id(), scale.id(), axis), "attach dimension scale");
}

namespace {

void append_values(hid_t dataset, const void* data, std::size_t count, hid_t memory_type) {
    if (count == 0) return;
    Handle space(check(H5Dget_space(dataset), "get dataspace"), Handle::Kind::dataspace);
    hsize_t old_size = 0;
    check_status(H5Sget_simple_extent_dims(space.id(), &old_size, nullptr), "get dataset length");
    const hsize_t new_size = old_size + count;
    check_status(H5Dset_extent(dataset, &new_size), "extend dataset");
    Handle file_space(check(H5Dget_space(dataset), "get dataspace"), Handle::Kind::dataspace);
    const hsize_t n = count;
    check_status(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &old_size, nullptr, &n, nullptr), "select rows");
    Handle memory_space(check(H5Screate_simple(1, &n, nullptr), "create dataspace"), Handle::Kind::dataspace);
    check_status(H5Dwrite(dataset, memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, data), "append rows");
}

} // namespace

void Dataset::append(std::span<const double> values) const {
    append_values(id(), values.data(), values.size(), H5T_NATIVE_DOUBLE);
}

void Dataset::append(std::span<const std::int64_t> values) const {
    append_values(id(), values.data(), values.size(), H5T_NATIVE_INT64);
}

Dataset Group::create_extendable_column(std::string_view name, bool integer, std::string_view units,
                                        std::string_view long_name) const {
    const std::string key(name);
    const hsize_t dims = 0;
    const hsize_t max_dims = H5S_UNLIMITED;
    Handle space(check(H5Screate_simple(1, &dims, &max_dims), "create dataspace"), Handle::Kind::dataspace);
    Handle properties = column_creation_properties(65536);
    Dataset column(Handle(check(H5Dcreate2(id(), key.c_str(), integer ? H5T_STD_I64LE : H5T_IEEE_F64LE, space.id(),
                                           H5P_DEFAULT, properties.id(), H5P_DEFAULT),
                                "create dataset " + key),
                          Handle::Kind::dataset));
    column.set_attribute("units", units);
    column.set_attribute("long_name", long_name);
    return column;
}

std::size_t Dataset::length() const {
    Handle space(check(H5Dget_space(id()), "get dataspace"), Handle::Kind::dataspace);
    hsize_t dims = 0;
    if (H5Sget_simple_extent_ndims(space.id()) != 1) throw IoError("HDF5: length() of a dataset that is not 1-D");
    check_status(H5Sget_simple_extent_dims(space.id(), &dims, nullptr), "get dataset length");
    return static_cast<std::size_t>(dims);
}

Group Group::create_group(std::string_view name) const {
    const std::string key(name);
    return Group(Handle(check(H5Gcreate2(id(), key.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                              "create group " + key),
                        Handle::Kind::group));
}

Dataset Group::create_dimension(std::string_view name, std::size_t length) const {
    const std::string key(name);
    const hsize_t dims = length;
    const hsize_t max_dims = H5S_UNLIMITED;
    Handle space(check(H5Screate_simple(1, &dims, &max_dims), "create dataspace"), Handle::Kind::dataspace);
    Handle properties = column_creation_properties(length);
    Dataset scale(Handle(check(H5Dcreate2(id(), key.c_str(), H5T_IEEE_F32LE, space.id(), H5P_DEFAULT,
                                          properties.id(), H5P_DEFAULT),
                               "create dimension " + key),
                         Handle::Kind::dataset));
    // The marker text netCDF-4 uses for a dimension that has no coordinate values.
    char marker[80];
    std::snprintf(marker, sizeof marker, "This is a netCDF dimension but not a netCDF variable.%10zu", length);
    check_status(H5DSset_scale(scale.id(), marker), "set dimension scale");
    return scale;
}

Dataset Group::create_coordinate(std::string_view name, std::span<const double> values,
                                 std::string_view units) const {
    Dataset scale = write_1d(id(), name, values.data(), values.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
    check_status(H5DSset_scale(scale.id(), std::string(name).c_str()), "set dimension scale");
    scale.set_attribute("units", units);
    return scale;
}

Dataset Group::create_string_coordinate(std::string_view name, std::span<const std::string> values) const {
    const std::string key(name);
    Handle type(check(H5Tcopy(H5T_C_S1), "copy string type"), Handle::Kind::datatype);
    check_status(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    const hsize_t dims = values.size();
    Handle space(check(H5Screate_simple(1, &dims, nullptr), "create dataspace"), Handle::Kind::dataspace);
    Dataset scale(Handle(check(H5Dcreate2(id(), key.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                                          H5P_DEFAULT),
                               "create coordinate " + key),
                         Handle::Kind::dataset));
    std::vector<const char*> pointers;
    for (const std::string& v : values) pointers.push_back(v.c_str());
    if (!values.empty()) {
        check_status(H5Dwrite(scale.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
                     "write coordinate " + key);
    }
    check_status(H5DSset_scale(scale.id(), key.c_str()), "set dimension scale");
    return scale;
}

Dataset Group::write_array(std::string_view name, std::span<const double> values,
                           std::initializer_list<const Dataset*> dimensions, std::string_view units,
                           std::string_view long_name) const {
    const std::string key(name);
    std::vector<hsize_t> shape;
    hsize_t count = 1;
    for (const Dataset* d : dimensions) {
        shape.push_back(d->length());
        count *= shape.back();
    }
    if (count != values.size()) {
        throw InternalError("HDF5: variable " + key + " has " + std::to_string(values.size()) +
                            " values for a shape of " + std::to_string(count));
    }
    const int rank = static_cast<int>(shape.size());
    Handle space(check(H5Screate_simple(rank, shape.data(), nullptr), "create dataspace"), Handle::Kind::dataspace);
    Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), Handle::Kind::property_list);
    if (count > 0) {
        // Chunks span whole trailing axes and enough leading rows for about 64 Ki values.
        std::vector<hsize_t> chunk(shape);
        const hsize_t row = count / std::max<hsize_t>(shape[0], 1);
        chunk[0] = std::clamp<hsize_t>(65536 / std::max<hsize_t>(row, 1), 1, std::max<hsize_t>(shape[0], 1));
        check_status(H5Pset_chunk(properties.id(), rank, chunk.data()), "set chunk size");
        check_status(H5Pset_shuffle(properties.id()), "set shuffle filter");
        check_status(H5Pset_deflate(properties.id(), 4), "set deflate filter");
    }
    Dataset variable(Handle(check(H5Dcreate2(id(), key.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT,
                                             properties.id(), H5P_DEFAULT),
                                  "create dataset " + key),
                            Handle::Kind::dataset));
    if (count > 0) {
        check_status(H5Dwrite(variable.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                     "write dataset " + key);
    }
    unsigned axis = 0;
    for (const Dataset* d : dimensions) variable.attach_dimension(*d, axis++);
    variable.set_attribute("units", units);
    variable.set_attribute("long_name", long_name);
    return variable;
}

Dataset Group::write_column(std::string_view name, std::span<const double> values, const Dataset& dimension,
                            std::string_view units, std::string_view long_name) const {
    Dataset column = write_1d(id(), name, values.data(), values.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
    column.attach_dimension(dimension);
    column.set_attribute("units", units);
    column.set_attribute("long_name", long_name);
    return column;
}

Dataset Group::write_column(std::string_view name, std::span<const std::int64_t> values, const Dataset& dimension,
                            std::string_view units, std::string_view long_name) const {
    Dataset column = write_1d(id(), name, values.data(), values.size(), H5T_STD_I64LE, H5T_NATIVE_INT64);
    column.attach_dimension(dimension);
    column.set_attribute("units", units);
    column.set_attribute("long_name", long_name);
    return column;
}

File File::create(const std::string& path) {
    silence_hdf5();
    return File(Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                             "create file '" + path + "'"),
                       Handle::Kind::file));
}

} // namespace capsim::io
