"""Every explorer's callback draws without error, reacts to its controls, and has a widget."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reference.explorers import all_explorers  # noqa: E402

EXPLORERS = all_explorers()


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("explorer", EXPLORERS, ids=[e.name for e in EXPLORERS])
def test_moving_a_control_changes_the_picture(explorer):
    first, second = (pixels(explorer.draw(**values)) for values in explorer.settings)
    assert first.shape == second.shape and not np.array_equal(first, second)
    plt.close("all")


@pytest.mark.parametrize("explorer", EXPLORERS, ids=[e.name for e in EXPLORERS])
def test_the_widget_builds_with_controls_and_an_output(explorer):
    widget = explorer.widget()
    assert len(widget.children) >= 2
    plt.close("all")


def test_every_notebook_from_01_has_an_explorer():
    names = " ".join(e.name for e in EXPLORERS)
    assert "(01)" in names and "(02)" in names


# ----------------------------------------------------------------------------- 05: std of z per layer

@pytest.mark.parametrize("values", [
    {"depth": 20, "width": 64, "init": "0.01", "activation": "Leaky ReLU α = 0.1", "seed": 1},
    {"depth": 12, "width": 16, "init": "PyTorch nn.Linear default", "activation": "ReLU", "seed": 7}])
def test_he_init_explorer_draws_reference_he_inits_stack_for_the_chosen_seed(values):
    from reference import he_init
    from reference.explorers import he_init as explorer
    depth, width, seed = values["depth"], values["width"], values["seed"]
    alpha = explorer.ACTIVATIONS[values["activation"]]
    if values["init"] == "PyTorch nn.Linear default":
        reference = he_init.torch_default_stack(depth, width, seed=seed, alpha=alpha)
    else:
        reference = he_init.normal_stack(explorer.weight_std(values["init"], width, alpha), (width,) * (depth + 1),
                                         alpha=alpha, seed=seed)
    fig = explorer.draw_init_stack(**values)
    measured = next(line for line in fig.axes[0].lines if line.get_label() == "measured std(z)")
    np.testing.assert_array_equal(measured.get_ydata(), reference.z_std)     # what is drawn: this seed's stack
    other_seed = explorer.stack_curves(values["init"], width, values["activation"], seed + 1)["measured"][:depth]
    assert np.all(other_seed != reference.z_std)                             # another seed, other numbers
    assert not np.array_equal(pixels(fig), pixels(explorer.draw_init_stack(**{**values, "seed": seed + 1})))
    plt.close("all")


def test_he_init_explorer_seed_is_section_4s_seed():
    """Seed s of the explorer at width 256 is the stack section 4 of notebook 05 draws for seed s
    (its default batch and widths), not a stack of its own."""
    from reference import he_init
    from reference.explorers import he_init as explorer
    from reference.init import he_std
    for seed in (0, 3):
        section_4 = he_init.normal_stack(he_std(he_init.WIDTH), seed=seed)
        np.testing.assert_array_equal(explorer.stack_curves("He", he_init.WIDTH, "ReLU", seed)["measured"],
                                      section_4.z_std)


def test_he_init_explorer_settings_differ_and_the_widget_has_a_seed_control():
    from reference.explorers import he_init as explorer
    (explorer_05,) = explorer.EXPLORERS
    first, second = explorer_05.settings
    # the benchmark's first move is a realistic one: a new seed at the opening width, 256, nothing cached
    assert first["seed"] != second["seed"] and first["init"] != second["init"] and second["width"] == 256
    controls = {c.description: c for c in explorer.init_stack_explorer().children if hasattr(c, "description")}
    assert (controls["seed"].min, controls["seed"].max) == (0, explorer.SEEDS - 1)
    assert not controls["seed"].continuous_update and not controls["depth"].continuous_update   # on release
    assert list(controls["width"].options) == list(explorer.WIDTHS)
    plt.close("all")


def test_dying_explorer_trains_the_chosen_setting():
    """03: each (lr, bias, seed) trains its own network; the drawn curves are what the notebook's
    batched sweep computes for that setting, and the seed alone changes them."""
    from reference import dying
    from reference.explorers.dying import draw_dying
    drawn = {}
    for seed in (1, 2):
        dead_line, accuracy_line = draw_dying(lr=5.0, bias=-0.5, seed=seed).axes[0].lines
        swept = dying.sweep((5.0,), (-0.5,), (seed,))
        drawn[seed] = dead_line.get_ydata()
        assert np.array_equal(drawn[seed], 100 * swept["dead"][0, 0, 0])
        assert np.allclose(accuracy_line.get_ydata(), 100 * swept["accuracy"][0, 0, 0])
    assert not np.array_equal(drawn[1], drawn[2])
    plt.close("all")


def test_dying_explorers_first_setting_is_what_a_learner_first_sees_and_lines_clear_the_spines():
    """03: EXPLORERS' first setting is the widget's opening value (the benchmark's "first
    display"); the seed slider trains only on release; a line at 0 % or 100 % is off the spines."""
    from reference.explorers import dying as explorer
    (explorer_03,) = explorer.EXPLORERS
    controls = {c.description: c for c in explorer.dying_explorer().children if hasattr(c, "description")}
    opening = {"lr": controls["learning rate"].value, "bias": controls["initial bias"].value,
               "seed": controls["seed"].value}
    assert explorer_03.settings[0] == opening == {"lr": 5.0, "bias": 0.0, "seed": 0}
    assert controls["seed"].continuous_update is False
    bottom, top = explorer.draw_dying(lr=1.0, bias=0.0, seed=0).axes[0].get_ylim()
    assert bottom < 0 and top > 100                        # lr 1: no unit dies, the line sits at 0 %
    plt.close("all")


def test_04s_explorer_trains_for_the_chosen_alpha_and_seed_what_the_dying_set_up_trains():
    from reference import leaky
    from reference.explorers.leaky import draw_alpha
    summary = leaky.dying_summary()
    for alpha, seed in ((0.01, 2), (0.1, 7)):
        course = leaky.dying_course(alpha, seed)            # what draw_alpha(alpha, seed) plots
        k = leaky.ALPHA_GRID.index(alpha)
        assert course["inactive"][0, -1] == summary["inactive"][0, seed]          # ReLU's copy
        assert course["inactive"][1, -1] == summary["inactive"][k, seed]          # Leaky's copy
        assert course["accuracy"][1, -1] == summary["accuracy"][k, seed]
        assert course["inactive"][:, 0].max() < 0.2 < course["inactive"][0, -1]    # units die as it trains
    other = leaky.dying_course(0.003, 2)                    # an alpha outside the notebook's table
    assert other["inactive"][0, -1] == leaky.dying_course(0.01, 2)["inactive"][0, -1]   # same ReLU run
    assert not np.array_equal(other["inactive"][1], leaky.dying_course(0.01, 2)["inactive"][1])
    title = draw_alpha(0.003, 2).axes[0].get_title()
    assert f"Leaky ReLU α = 0.003 (dashed) {100 * other['inactive'][1, -1]:.0f} % inactive" in title
    plt.close("all")


def test_01s_explorers_compute_the_chosen_neuron_and_fit():
    from reference import piecewise
    from reference.activations import relu
    from reference.explorers import relu as explorer

    neuron = explorer.draw_neuron(w=-2.0, b=1.5)
    curve = neuron.axes[0].lines[1]                                  # relu(w x + b), drawn
    assert np.array_equal(curve.get_ydata(), relu(-2.0 * curve.get_xdata() + 1.5))
    assert "kink at x = 0.75" in [t.get_text() for t in neuron.axes[0].get_legend().get_texts()]
    for k in (2, 12):                                                # the explorer's two settings
        knots, coefficients = piecewise.fit_relu_sum(explorer.CURVE_X, explorer.CURVE_Y, k)
        fit = explorer.draw_relu_sum(k=k).axes[0].lines[1].get_ydata()
        assert np.allclose(fit, piecewise.relu_features(explorer.CURVE_X, knots) @ coefficients)
        assert f"RMS error {np.sqrt(np.mean((fit - explorer.CURVE_Y) ** 2)):.3f}" in plt.gcf().axes[0].get_title()
    plt.close("all")


@pytest.mark.parametrize("depth", [5, 30])
def test_02s_explorer_computes_the_gradient_norms_of_the_chosen_depth(depth):
    from reference import why_relu
    from reference.explorers import why_relu as explorer

    fig = explorer.draw_gradient_norms(depth=depth, activation="relu")
    drawn = {line.get_label(): line.get_ydata() for line in fig.axes[0].lines}
    for name in ("sigmoid", "tanh", "relu"):
        net = why_relu.fan_in_mlp((2,) + (32,) * depth + (1,), name, 0)
        assert np.allclose(drawn[name], why_relu.backward_factors(net, *explorer.GRADIENT_DATA).delta_norms)
    plt.close("all")
