#pragma once
/// A thin RAII layer over the HDF5 C API: every call capsim makes is wrapped here once, and a failed
/// call becomes an IoError that carries HDF5's own error stack. Results follow the netCDF-4 data model
/// (dimension scales, `units` attributes) so that xarray opens them with engine="h5netcdf".

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace capsim::io {

using hid = std::int64_t; // hid_t, without exposing HDF5's headers to every includer

/// Owns one HDF5 identifier and closes it with the right H5*close function.
class Handle {
public:
    enum class Kind { file, group, dataset, dataspace, property_list, attribute, datatype };
    Handle() = default;
    Handle(hid id, Kind kind) : id_(id), kind_(kind) {}
    Handle(Handle&& other) noexcept : id_(other.id_), kind_(other.kind_) { other.id_ = -1; }
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle();

    hid id() const { return id_; }
    /// Closes now, reporting failure as IoError (the destructor cannot throw).
    void close();

private:
    hid id_ = -1;
    Kind kind_ = Kind::file;
};

/// Something attributes can be attached to: a file's root group, a group or a dataset.
class AttributeTarget {
public:
    void set_attribute(std::string_view name, double value) const;
    void set_attribute(std::string_view name, std::int64_t value) const;
    void set_attribute(std::string_view name, std::string_view value) const;
    void set_attribute(std::string_view name, const char* value) const { set_attribute(name, std::string_view(value)); }
    /// A 1-D integer array attribute (CF flag_values, say).
    void set_attribute(std::string_view name, std::span<const std::int64_t> values) const;
    hid id() const { return handle_.id(); }

protected:
    AttributeTarget() = default;
    explicit AttributeTarget(Handle handle) : handle_(std::move(handle)) {}
    Handle handle_;
};

class Dataset : public AttributeTarget {
public:
    explicit Dataset(Handle handle) : AttributeTarget(std::move(handle)) {}
    /// Attaches `scale` as the dimension of this dataset's axis `axis` (so xarray names the axis).
    void attach_dimension(const Dataset& scale, unsigned axis = 0) const;
    /// The length of a 1-D dataset (a dimension or coordinate).
    std::size_t length() const;
    /// Appends values to the end of an extendable 1-D dataset (see Group::create_extendable_column).
    void append(std::span<const double> values) const;
    void append(std::span<const std::int64_t> values) const;
};

class Group : public AttributeTarget {
public:
    explicit Group(Handle handle) : AttributeTarget(std::move(handle)) {}
    Group create_group(std::string_view name) const;

    /// A dimension of `length` with no coordinate values (netCDF's "dimension but not variable").
    Dataset create_dimension(std::string_view name, std::size_t length) const;
    /// A 1-D coordinate variable that is also the dimension of its name.
    Dataset create_coordinate(std::string_view name, std::span<const double> values, std::string_view units) const;

    /// A 1-D coordinate of strings (variable-length UTF-8), also the dimension of its name.
    Dataset create_string_coordinate(std::string_view name, std::span<const std::string> values) const;

    /// An N-D float64 variable whose axes are `dimensions` (1-D dimension datasets), stored
    /// row-major (the last dimension varies fastest), chunked, shuffled and deflated.
    Dataset write_array(std::string_view name, std::span<const double> values,
                        std::initializer_list<const Dataset*> dimensions, std::string_view units,
                        std::string_view long_name) const;

    /// An empty 1-D column that grows with Dataset::append as rows arrive (chunked, shuffled,
    /// deflated). Its dimension is attached later, once its length is known.
    Dataset create_extendable_column(std::string_view name, bool integer, std::string_view units,
                                     std::string_view long_name) const;

    /// 1-D chunked, shuffled and deflated columns along `dimension`.
    Dataset write_column(std::string_view name, std::span<const double> values, const Dataset& dimension,
                         std::string_view units, std::string_view long_name) const;
    Dataset write_column(std::string_view name, std::span<const std::int64_t> values, const Dataset& dimension,
                         std::string_view units, std::string_view long_name) const;
};

/// An HDF5 file created (truncating) at a path; the root group is the file itself.
class File : public Group {
public:
    static File create(const std::string& path);
    void close() { handle_.close(); }

private:
    explicit File(Handle handle) : Group(std::move(handle)) {}
};

} // namespace capsim::io
