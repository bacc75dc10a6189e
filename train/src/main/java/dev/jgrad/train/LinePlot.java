package dev.jgrad.train;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of named series written as a PNG with XChart, headless: the per-layer gradient norms
 * of a {@link GradientMonitorCallback}, the loss curves of the tutorials. Points that cannot be
 * drawn (not finite, or not positive on a logarithmic axis) are left out of their series; a series
 * with no point left is not drawn. Not thread-safe.
 */
public final class LinePlot {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private boolean logY;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    /**
     * @param title  the chart's title
     * @param xTitle the x axis's title
     * @param yTitle the y axis's title
     */
    public LinePlot(String title, String xTitle, String yTitle) {
        this.title = Objects.requireNonNull(title, "LinePlot: title");
        this.xTitle = Objects.requireNonNull(xTitle, "LinePlot: xTitle");
        this.yTitle = Objects.requireNonNull(yTitle, "LinePlot: yTitle");
    }

    /**
     * @param logarithmic whether the y axis is logarithmic (base 10)
     * @return this plot
     */
    public LinePlot logY(boolean logarithmic) {
        this.logY = logarithmic;
        return this;
    }

    /**
     * Adds a series (copies the arrays).
     *
     * @param name its legend entry, unique in this plot
     * @param x    the x values
     * @param y    the y values, as many as {@code x}
     * @return this plot
     * @throws IllegalArgumentException if the name is taken or the lengths differ
     */
    public LinePlot series(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "LinePlot.series: name");
        if (series.containsKey(name)) {
            throw new IllegalArgumentException("LinePlot.series: a series named '" + name + "' is already in the plot");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("LinePlot.series: series '" + name + "' has " + x.length + " x values but "
                    + y.length + " y values; they must pair up");
        }
        series.put(name, new double[][] {x.clone(), y.clone()});
        return this;
    }

    /**
     * Draws the chart into {@code file} (its directory is created).
     *
     * @param file   the PNG to write
     * @param width  pixels, at least 100
     * @param height pixels, at least 100
     * @return {@code file}
     * @throws IllegalArgumentException for a smaller size, or when no series has a point to draw
     * @throws UncheckedIOException     when the file cannot be written
     */
    public Path write(Path file, int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("LinePlot.write: image size must be at least 100x100 pixels, got "
                    + width + "x" + height);
        }
        // Plots are drawn on servers and in CI: never try to open a display.
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setYAxisDecimalPattern(logY ? "0.#E0" : "#0.####");
        int drawn = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            drawn += add(chart, e.getKey(), e.getValue()[0], e.getValue()[1]) ? 1 : 0;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("LinePlot.write: '" + title + "' has no drawable point (" + series.size()
                    + " series; values must be finite" + (logY ? " and positive on a log axis)" : ")"));
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("LinePlot.write: cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private boolean add(XYChart chart, String name, double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0)) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        chart.addSeries(name, xs, ys).setMarker(xs.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        return true;
    }
}
