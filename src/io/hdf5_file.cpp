#include "capsim/io/hdf5_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::io {
namespace {

static_assert(sizeof(hid) == sizeof(hid_t), "hid must hold an hid_t");

/// zlib level of every chunked dataset. After the shuffle filter, level 1 keeps files within a few
/// per cent of level 4 at about half the compression time, which the job table of a long run spends
/// on the simulation's thread.
constexpr unsigned deflate_level = 1;

/// Appends each entry of HDF5's error stack to a string (walk callback).
herr_t collect_error(unsigned depth, const H5E_error2_t* entry, void* text) {
    auto& out = *static_cast<std::string*>(text);
    if (depth > 0) out += "; ";
    out += entry->func_name ? entry->func_name : "?";
    out += ": ";
    out += entry->desc ? entry->desc : "";
    return 0;
}

/// The text between `key = '` and the next quote in `stack`, or "" if absent.
std::string quoted_field(const std::string& stack, const std::string& key) {
    const std::string start = key + " = '";
    const std::size_t at = stack.find(start);
    if (at == std::string::npos) return "";
    const std::size_t from = at + start.size();
    const std::size_t to = stack.find('\'', from);
    return to == std::string::npos ? "" : stack.substr(from, to - from);
}

[[noreturn]] void fail(const std::string& what) {
    std::string stack;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &stack);
    H5Eclear2(H5E_DEFAULT);
    // A failed system call (a full disk, a file size limit) is what the user can act on; the
    // library's stack of callers around it is not.
    const std::string system_error = quoted_field(stack, "error message");
    const std::string file = quoted_field(stack, "filename");
    if (!system_error.empty() && !file.empty()) {
        throw IoError("cannot write '" + file + "': " + system_error + " (HDF5: " + what + ")");
    }
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
    // Before the library starts (the first call), keep it from closing files at exit: a file whose
    // close failed (a full disk) stays in its table, and HDF5 1.10 crashes closing it again there.
    // capsim closes every file itself, through its handles, before it exits.
    static const bool no_exit_handler = H5dont_atexit() >= 0;
    (void)no_exit_handler;
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
    check_status(H5Pset_deflate(properties.id(), deflate_level), "set deflate filter");
    return properties;
}

Dataset write_1d(hid_t group, std::string_view name, const void* data, std::size_t length, hid_t file_type,
                 hid_t memory_type) {
    const std::string key(name);
    const hsize_t dims = length;
    Handle space(check(H5Screate_simple(1, &dims, nullptr), "create dataspace"), Handle::Kind::dataspace);
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

/// Appends whole rows (along the first axis) to an extendable dataset of any rank.
void append_values(hid_t dataset, const void* data, std::size_t count, hid_t memory_type) {
    if (count == 0) return;
    Handle space(check(H5Dget_space(dataset), "get dataspace"), Handle::Kind::dataspace);
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 1) fail("append to a scalar dataset");
    std::vector<hsize_t> extent(static_cast<std::size_t>(rank));
    check_status(H5Sget_simple_extent_dims(space.id(), extent.data(), nullptr), "get dataset shape");
    hsize_t row = 1;
    for (std::size_t axis = 1; axis < extent.size(); ++axis) row *= extent[axis];
    if (row == 0 || count % row != 0) throw InternalError("HDF5: appending a partial row");
    std::vector<hsize_t> start(extent.size(), 0), block(extent);
    start[0] = extent[0];
    block[0] = count / row;
    extent[0] += block[0];
    check_status(H5Dset_extent(dataset, extent.data()), "extend dataset");
    Handle file_space(check(H5Dget_space(dataset), "get dataspace"), Handle::Kind::dataspace);
    check_status(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
                 "select rows");
    const hsize_t n = count;
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

Dataset Group::create_extendable_array(std::string_view name, std::span<const std::size_t> row_shape,
                                       std::string_view units, std::string_view long_name) const {
    const std::string key(name);
    std::vector<hsize_t> dims = {0}, max_dims = {H5S_UNLIMITED}, chunk;
    hsize_t row = 1;
    for (std::size_t n : row_shape) {
        dims.push_back(n);
        max_dims.push_back(n);
        row *= std::max<std::size_t>(n, 1);
    }
    // Chunks of whole rows, about 64 Ki values each: a run's steps fill them as they come.
    chunk.push_back(std::clamp<hsize_t>(65536 / row, 1, 65536));
    for (std::size_t n : row_shape) chunk.push_back(std::max<std::size_t>(n, 1));
    Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()), "create dataspace"),
                 Handle::Kind::dataspace);
    Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), Handle::Kind::property_list);
    check_status(H5Pset_chunk(properties.id(), static_cast<int>(chunk.size()), chunk.data()), "set chunk size");
    check_status(H5Pset_shuffle(properties.id()), "set shuffle filter");
    check_status(H5Pset_deflate(properties.id(), deflate_level), "set deflate filter");
    Dataset array(Handle(check(H5Dcreate2(id(), key.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, properties.id(),
                                          H5P_DEFAULT),
                               "create dataset " + key),
                         Handle::Kind::dataset));
    array.set_attribute("units", units);
    array.set_attribute("long_name", long_name);
    return array;
}

void Dataset::make_dimension_scale(std::string_view name) const {
    check_status(H5DSset_scale(id(), std::string(name).c_str()), "set dimension scale");
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
    Handle space(check(H5Screate_simple(1, &dims, nullptr), "create dataspace"), Handle::Kind::dataspace);
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
    Dataset scale = write_strings(name, values);
    check_status(H5DSset_scale(scale.id(), std::string(name).c_str()), "set dimension scale");
    return scale;
}

Dataset Group::write_array(std::string_view name, std::span<const double> values,
                           std::span<const Dataset* const> dimensions, std::string_view units,
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
    Handle space(check(rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, shape.data(), nullptr),
                       "create dataspace"),
                 Handle::Kind::dataspace);
    Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), Handle::Kind::property_list);
    if (count > 0 && rank > 0) {
        // Chunks span whole trailing axes and enough leading rows for about 64 Ki values.
        std::vector<hsize_t> chunk(shape);
        const hsize_t row = count / std::max<hsize_t>(shape[0], 1);
        chunk[0] = std::clamp<hsize_t>(65536 / std::max<hsize_t>(row, 1), 1, std::max<hsize_t>(shape[0], 1));
        check_status(H5Pset_chunk(properties.id(), rank, chunk.data()), "set chunk size");
        check_status(H5Pset_shuffle(properties.id()), "set shuffle filter");
        check_status(H5Pset_deflate(properties.id(), deflate_level), "set deflate filter");
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

Dataset Group::write_contiguous(std::string_view name, std::span<const double> values) const {
    const std::string key(name);
    const hsize_t dims = values.size();
    Handle space(check(H5Screate_simple(1, &dims, nullptr), "create dataspace"), Handle::Kind::dataspace);
    Dataset dataset(Handle(check(H5Dcreate2(id(), key.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT,
                                            H5P_DEFAULT),
                                 "create dataset " + key),
                           Handle::Kind::dataset));
    if (!values.empty()) {
        check_status(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                     "write dataset " + key);
    }
    return dataset;
}

Dataset Group::write_strings(std::string_view name, std::span<const std::string> values, const Dataset* dimension) const {
    const std::string key(name);
    Handle type(check(H5Tcopy(H5T_C_S1), "copy string type"), Handle::Kind::datatype);
    check_status(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    const hsize_t dims = values.size();
    Handle space(check(H5Screate_simple(1, &dims, nullptr), "create dataspace"), Handle::Kind::dataspace);
    Dataset strings(Handle(check(H5Dcreate2(id(), key.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                                            H5P_DEFAULT),
                                 "create dataset " + key),
                           Handle::Kind::dataset));
    std::vector<const char*> pointers;
    for (const std::string& v : values) pointers.push_back(v.c_str());
    if (!values.empty()) {
        check_status(H5Dwrite(strings.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
                     "write dataset " + key);
    }
    if (dimension) strings.attach_dimension(*dimension);
    return strings;
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

void AttributeTarget::copy_attributes_from(const AttributeTarget& source, std::span<const std::string> except) const {
    H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
    check_status(H5Oget_info3(source.id(), &info, H5O_INFO_NUM_ATTRS), "get object info");
#else
    check_status(H5Oget_info2(source.id(), &info, H5O_INFO_NUM_ATTRS), "get object info");
#endif
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        Handle from(check(H5Aopen_by_idx(source.id(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
                          "open attribute"),
                    Handle::Kind::attribute);
        const ssize_t length = H5Aget_name(from.id(), 0, nullptr);
        std::string name(static_cast<std::size_t>(std::max<ssize_t>(length, 0)), '\0');
        H5Aget_name(from.id(), name.size() + 1, name.data());
        if (std::find(except.begin(), except.end(), name) != except.end()) continue;
        Handle type(check(H5Aget_type(from.id()), "get attribute type"), Handle::Kind::datatype);
        Handle space(check(H5Aget_space(from.id()), "get attribute space"), Handle::Kind::dataspace);
        const hssize_t count = H5Sget_simple_extent_npoints(space.id());
        std::vector<unsigned char> buffer(H5Tget_size(type.id()) * static_cast<std::size_t>(std::max<hssize_t>(count, 1)));
        check_status(H5Aread(from.id(), type.id(), buffer.data()), "read attribute " + name);
        if (H5Aexists(id(), name.c_str()) > 0) check_status(H5Adelete(id(), name.c_str()), "replace attribute");
        Handle to(check(H5Acreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                        "create attribute " + name),
                  Handle::Kind::attribute);
        check_status(H5Awrite(to.id(), type.id(), buffer.data()), "write attribute " + name);
        // Variable-length strings were read as pointers that HDF5 allocated.
        if (H5Tis_variable_str(type.id()) > 0) H5Dvlen_reclaim(type.id(), space.id(), H5P_DEFAULT, buffer.data());
    }
}

bool AttributeTarget::has_attribute(std::string_view name) const {
    return H5Aexists(id(), std::string(name).c_str()) > 0;
}

std::optional<std::string> AttributeTarget::string_attribute(std::string_view name) const {
    if (!has_attribute(name)) return std::nullopt;
    Handle attribute(check(H5Aopen(id(), std::string(name).c_str(), H5P_DEFAULT), "open attribute"), Handle::Kind::attribute);
    Handle type(check(H5Aget_type(attribute.id()), "get attribute type"), Handle::Kind::datatype);
    if (H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) <= 0) return std::nullopt;
    // Read with the attribute's own type: HDF5 does not convert between ASCII and UTF-8 strings.
    char* text = nullptr;
    check_status(H5Aread(attribute.id(), type.id(), &text), "read attribute");
    std::string value(text ? text : "");
    if (text) H5free_memory(text);
    return value;
}

std::optional<double> AttributeTarget::number_attribute(std::string_view name) const {
    if (!has_attribute(name)) return std::nullopt;
    Handle attribute(check(H5Aopen(id(), std::string(name).c_str(), H5P_DEFAULT), "open attribute"), Handle::Kind::attribute);
    Handle type(check(H5Aget_type(attribute.id()), "get attribute type"), Handle::Kind::datatype);
    const H5T_class_t type_class = H5Tget_class(type.id());
    if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) return std::nullopt;
    double value = 0;
    check_status(H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, &value), "read attribute");
    return value;
}

std::vector<std::size_t> Dataset::shape() const {
    Handle space(check(H5Dget_space(id()), "get dataspace"), Handle::Kind::dataspace);
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0) fail("get dataset rank");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) check_status(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), "get dataset shape");
    return {dims.begin(), dims.end()};
}

namespace {

/// The file and memory dataspaces of a block of a dataset.
std::pair<Handle, Handle> block_spaces(hid_t dataset, std::span<const std::size_t> offset,
                                       std::span<const std::size_t> count, std::size_t values) {
    if (offset.size() != count.size()) throw InternalError("HDF5: block offset and count differ in rank");
    std::vector<hsize_t> start(offset.begin(), offset.end()), extent(count.begin(), count.end());
    hsize_t total = 1;
    for (hsize_t c : extent) total *= c;
    if (total != values) {
        throw InternalError("HDF5: a block of " + std::to_string(total) + " values given " + std::to_string(values));
    }
    Handle file_space(check(H5Dget_space(dataset), "get dataspace"), Handle::Kind::dataspace);
    if (static_cast<std::size_t>(H5Sget_simple_extent_ndims(file_space.id())) != offset.size()) {
        throw InternalError("HDF5: block rank differs from the dataset's");
    }
    if (!offset.empty()) {
        check_status(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
                     "select block");
    }
    const hsize_t flat = total;
    Handle memory_space(check(H5Screate_simple(1, &flat, nullptr), "create dataspace"), Handle::Kind::dataspace);
    return {std::move(file_space), std::move(memory_space)};
}

} // namespace

void Dataset::write_block(std::span<const std::size_t> offset, std::span<const std::size_t> count,
                          std::span<const double> values) const {
    if (values.empty()) return;
    auto [file_space, memory_space] = block_spaces(id(), offset, count, values.size());
    check_status(H5Dwrite(id(), H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
                 "write block");
}

void Dataset::write_block(std::span<const std::size_t> offset, std::span<const std::size_t> count,
                          std::span<const std::int64_t> values) const {
    if (values.empty()) return;
    auto [file_space, memory_space] = block_spaces(id(), offset, count, values.size());
    check_status(H5Dwrite(id(), H5T_NATIVE_INT64, memory_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
                 "write block");
}

std::vector<double> Dataset::read_block(std::span<const std::size_t> offset, std::span<const std::size_t> count) const {
    std::size_t total = 1;
    for (std::size_t c : count) total *= c;
    std::vector<double> values(total);
    if (total == 0) return values;
    auto [file_space, memory_space] = block_spaces(id(), offset, count, total);
    check_status(H5Dread(id(), H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
                 "read block");
    return values;
}

std::vector<double> Dataset::read_all() const {
    const std::vector<std::size_t> extent = shape();
    const std::vector<std::size_t> origin(extent.size(), 0);
    return read_block(origin, extent);
}

std::vector<std::string> Dataset::read_strings() const {
    Handle type(check(H5Dget_type(id()), "get dataset type"), Handle::Kind::datatype);
    if (H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) <= 0) {
        throw IoError("HDF5: dataset is not a list of strings");
    }
    const std::vector<std::size_t> extent = shape();
    std::vector<char*> pointers(extent.empty() ? 1 : extent[0], nullptr);
    if (!pointers.empty()) {
        check_status(H5Dread(id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "read strings");
    }
    std::vector<std::string> values;
    for (char* p : pointers) {
        values.emplace_back(p ? p : "");
        if (p) H5free_memory(p);
    }
    return values;
}

Group Group::open_group(std::string_view name) const {
    const std::string key(name);
    return Group(Handle(check(H5Gopen2(id(), key.c_str(), H5P_DEFAULT), "open group " + key), Handle::Kind::group));
}

Dataset Group::open_dataset(std::string_view name) const {
    const std::string key(name);
    return Dataset(Handle(check(H5Dopen2(id(), key.c_str(), H5P_DEFAULT), "open dataset " + key), Handle::Kind::dataset));
}

bool Group::has(std::string_view name) const {
    // H5Lexists needs every intermediate link to exist, so walk "a/b/c" one level at a time.
    std::string path;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t slash = std::min(name.find('/', start), name.size());
        path += (path.empty() ? "" : "/") + std::string(name.substr(start, slash - start));
        if (H5Lexists(id(), path.c_str(), H5P_DEFAULT) <= 0) return false;
        start = slash + 1;
    }
    return true;
}

Dataset Group::create_coordinate(std::string_view name, std::span<const std::int64_t> values,
                                 std::string_view units) const {
    Dataset scale = write_1d(id(), name, values.data(), values.size(), H5T_STD_I64LE, H5T_NATIVE_INT64);
    check_status(H5DSset_scale(scale.id(), std::string(name).c_str()), "set dimension scale");
    scale.set_attribute("units", units);
    return scale;
}

Dataset Group::create_array(std::string_view name, std::span<const Dataset* const> dimensions, bool integer,
                            std::span<const std::size_t> chunk_values, std::string_view units,
                            std::string_view long_name) const {
    const std::string key(name);
    if (chunk_values.size() != dimensions.size()) throw InternalError("HDF5: chunk rank differs for " + key);
    std::vector<hsize_t> shape, chunk;
    bool empty = false;
    for (std::size_t axis = 0; axis < dimensions.size(); ++axis) {
        shape.push_back(dimensions[axis]->length());
        chunk.push_back(std::clamp<hsize_t>(chunk_values[axis], 1, std::max<hsize_t>(shape.back(), 1)));
        empty = empty || shape.back() == 0;
    }
    const int rank = static_cast<int>(shape.size());
    Handle space(check(H5Screate_simple(rank, shape.data(), nullptr), "create dataspace"), Handle::Kind::dataspace);
    Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), Handle::Kind::property_list);
    const hid_t file_type = integer ? H5T_STD_I64LE : H5T_IEEE_F64LE;
    if (integer) {
        const std::int64_t zero = 0;
        check_status(H5Pset_fill_value(properties.id(), H5T_NATIVE_INT64, &zero), "set fill value");
    } else {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        check_status(H5Pset_fill_value(properties.id(), H5T_NATIVE_DOUBLE, &nan), "set fill value");
    }
    if (!empty && rank > 0) {
        check_status(H5Pset_chunk(properties.id(), rank, chunk.data()), "set chunk size");
        check_status(H5Pset_shuffle(properties.id()), "set shuffle filter");
        check_status(H5Pset_deflate(properties.id(), deflate_level), "set deflate filter");
    }
    Dataset variable(Handle(check(H5Dcreate2(id(), key.c_str(), file_type, space.id(), H5P_DEFAULT, properties.id(),
                                             H5P_DEFAULT),
                                  "create dataset " + key),
                            Handle::Kind::dataset));
    unsigned axis = 0;
    for (const Dataset* d : dimensions) variable.attach_dimension(*d, axis++);
    variable.set_attribute("units", units);
    variable.set_attribute("long_name", long_name);
    return variable;
}

void File::check_readable(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status)) throw IoError("'" + path + "' does not exist");
    if (std::filesystem::is_directory(status)) throw IoError("'" + path + "' is a folder, expected a results file");
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
    } else {
        throw IoError("cannot read '" + path + "': " + std::strerror(errno));
    }
    silence_hdf5();
    if (H5Fis_hdf5(path.c_str()) <= 0) throw IoError("'" + path + "' is not an HDF5 file");
}

File File::open_read_only(const std::string& path) {
    check_readable(path);
    return File(Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open file '" + path + "'"),
                       Handle::Kind::file));
}

void File::flush() const {
    check_status(H5Fflush(id(), H5F_SCOPE_GLOBAL), "flush file");
}

File File::create(const std::string& path) {
    silence_hdf5();
    return File(Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                             "create file '" + path + "'"),
                       Handle::Kind::file));
}

} // namespace capsim::io
